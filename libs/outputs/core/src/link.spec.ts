import { describe, expect, it } from 'vitest';
import { Link, LinkDownError } from './link';

/** A Link over a connection whose opening the test decides, on a clock the test moves. */
function setup() {
  let t = 1_000_000;
  const outcomes: (string | Error)[] = [];
  const closed: string[] = [];
  const link = new Link<string>({
    open: () => {
      const next = outcomes.shift() ?? new Error('nothing to open');
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    close: (c) => Promise.resolve(closed.push(c)),
    secrets: ['s3cret'],
    backoff: { baseMs: 100, capMs: 1_000 },
    now: () => t,
  });
  return { link, outcomes, closed, advance: (ms: number) => (t += ms) };
}

describe('Link health', () => {
  it('is down with its attempts until a first connection, then connected with the attempts reset', async () => {
    const { link, outcomes, advance } = setup();
    expect(link.health()).toMatchObject({ state: 'idle', attempts: 0, connects: 0 });
    outcomes.push(new Error('connect ECONNREFUSED (password s3cret)'));
    await expect(link.get()).rejects.toThrow('ECONNREFUSED');
    expect(link.health()).toMatchObject({
      state: 'down',
      attempts: 1,
      connects: 0,
      lastError: 'connect ECONNREFUSED (password ***)',
    });
    // within the backoff: no attempt, a retryable LinkDownError
    await expect(link.get()).rejects.toBeInstanceOf(LinkDownError);
    expect(link.health().attempts).toBe(1);
    advance(100);
    outcomes.push(new Error('connect ECONNREFUSED'));
    await expect(link.get()).rejects.toThrow('ECONNREFUSED');
    expect(link.health()).toMatchObject({ state: 'down', attempts: 2 });
    advance(200);
    outcomes.push('c1');
    await expect(link.get()).resolves.toBe('c1');
    expect(link.health()).toMatchObject({ state: 'connected', attempts: 0, connects: 1, disconnects: 0 });
  });

  it('is reconnecting after losing an established connection, counting the reopening attempts', async () => {
    const { link, outcomes, closed, advance } = setup();
    outcomes.push('c1');
    await link.get();
    link.lost(new Error('socket closed'));
    expect(closed).toEqual(['c1']);
    expect(link.health()).toMatchObject({ state: 'reconnecting', attempts: 0, disconnects: 1 });
    advance(100);
    outcomes.push(new Error('connect ECONNREFUSED'));
    await expect(link.get()).rejects.toThrow();
    expect(link.health()).toMatchObject({
      state: 'reconnecting',
      attempts: 1,
      lastError: 'connect ECONNREFUSED',
    });
    advance(1_000);
    outcomes.push('c2');
    await expect(link.get()).resolves.toBe('c2');
    expect(link.health()).toMatchObject({ state: 'connected', attempts: 0, connects: 2, disconnects: 1 });
  });

  it('counts the attempts of a client that reconnects by itself, and fails sends fast meanwhile', async () => {
    const { link, outcomes } = setup();
    outcomes.push('c1');
    await link.get();
    link.down('disconnected from 127.0.0.1:4222');
    link.attempt();
    link.attempt(new Error('connect ECONNREFUSED'));
    expect(link.health()).toMatchObject({
      state: 'reconnecting',
      attempts: 2,
      disconnects: 1,
      lastError: 'connect ECONNREFUSED',
    });
    const r = await link.run(() => Promise.resolve(undefined));
    expect(r).toMatchObject({ ok: false, retryable: true, reason: 'network' });
    link.up();
    expect(link.health()).toMatchObject({ state: 'connected', attempts: 0, connects: 2 });
    await link.close();
    expect(link.health().state).toBe('closed');
    link.attempt();
    expect(link.health().attempts).toBe(0);
  });
});
