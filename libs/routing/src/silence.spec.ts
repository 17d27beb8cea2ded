import { describe, expect, it } from 'vitest';
import type { Silence } from '@falconer/contracts';
import { applySilences, compileSilence, type CompiledSilence } from './silence';
import { testEvent } from './test-event';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const silence = (over: Partial<Silence>): CompiledSilence =>
  compileSilence({
    id: 's1',
    filter: { rules: { include: ['Shell*'] } },
    matcher: '',
    outputs: [],
    startsAt: '2026-11-30T10:00:00Z',
    endsAt: '2026-11-30T11:00:00Z',
    createdBy: 'alice',
    comment: '',
    ...over,
  }) as CompiledSilence;

describe('applySilences (after the output filters)', () => {
  const shell = testEvent({ rule: 'Shell in container', hostname: 'worker-1' });
  const other = testEvent({ rule: 'Read sensitive file', hostname: 'worker-1' });
  const targets = ['slack', 'webhook'];

  it('mutes every target of a matching event while active, and nothing for other events', () => {
    const s = [silence({})];
    expect(applySilences(shell, targets, s, T0)).toEqual({
      send: [],
      muted: [
        { output: 'slack', silence: 's1' },
        { output: 'webhook', silence: 's1' },
      ],
    });
    expect(applySilences(other, targets, s, T0)).toEqual({ send: targets, muted: [] });
  });

  it('mutes only the outputs a silence names, and never an output the filters left out', () => {
    const s = [silence({ outputs: ['slack', 'pagerduty'] })];
    expect(applySilences(shell, targets, s, T0)).toEqual({
      send: ['webhook'],
      muted: [{ output: 'slack', silence: 's1' }],
    });
  });

  it('is active from startsAt (inclusive) to endsAt (exclusive), to the millisecond', () => {
    const s = [silence({})];
    const end = Date.parse('2026-11-30T11:00:00Z');
    expect(applySilences(shell, targets, s, T0 - 1).send).toEqual(targets);
    expect(applySilences(shell, targets, s, end - 1).send).toEqual([]);
    expect(applySilences(shell, targets, s, end).send).toEqual(targets);
  });

  it('names the first matching silence of each output', () => {
    const s = [silence({ id: 'a', outputs: ['webhook'] }), silence({ id: 'b' })];
    expect(applySilences(shell, targets, s, T0).muted).toEqual([
      { output: 'slack', silence: 'b' },
      { output: 'webhook', silence: 'a' },
    ]);
  });

  it('never silences the test event', () => {
    const s = [silence({ filter: { priorities: ['debug'] } })];
    expect(applySilences(testEvent({ rule: 'Test rule', priority: 'Debug' }), targets, s, T0).send).toEqual(
      targets,
    );
  });

  it('does not compile a silence whose filter no longer compiles', () => {
    expect(
      compileSilence({
        ...({} as Silence),
        id: 'x',
        filter: { nope: 1 },
        outputs: [],
        startsAt: '',
        endsAt: '',
      }),
    ).toBeUndefined();
  });
});
