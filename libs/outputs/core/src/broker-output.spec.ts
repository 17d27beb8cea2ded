import { describe, expect, it } from 'vitest';
import { eachAcknowledged } from './broker-output';

/** Acknowledges message i with `outcomes[i]` (undefined = acknowledged), asynchronously and out of order. */
function acks(outcomes: (Error | undefined)[]) {
  return (i: number, done: (err?: unknown) => void): void => {
    setTimeout(() => done(outcomes[i]), (outcomes.length - i) * 2);
  };
}

describe('eachAcknowledged', () => {
  it('is delivered when every message is acknowledged', async () => {
    await expect(eachAcknowledged(3, acks([undefined, undefined, undefined]), [])).resolves.toBeUndefined();
    await expect(eachAcknowledged(0, acks([]), [])).resolves.toBeUndefined();
  });

  it('reports exactly the failed messages for retry', async () => {
    const nack = new Error('message nacked');
    const r = await eachAcknowledged(4, acks([undefined, nack, undefined, nack]), []);
    expect(r).toMatchObject({ ok: false, retryable: true, reason: 'network', failedIndexes: [1, 3] });
  });

  it('dead-letters failed messages whose failure is not retryable (authorization), secrets scrubbed', async () => {
    const denied = new Error('not authorized to publish (password s3cret)');
    const r = await eachAcknowledged(3, acks([denied, undefined, undefined]), ['s3cret']);
    expect(r).toEqual({
      ok: false,
      retryable: false,
      reason: 'auth_error',
      detail: 'not authorized to publish (password ***)',
      failedIndexes: [],
      rejectedIndexes: [0],
    });
  });

  it('rejects with the first error when every message failed, and counts a throwing publish as failed', async () => {
    const closed = new Error('channel closed');
    await expect(eachAcknowledged(2, acks([closed, closed]), [])).rejects.toThrow('channel closed');
    const r = await eachAcknowledged(
      2,
      (i, done) => {
        if (i === 0) throw new Error('write after end');
        done();
      },
      [],
    );
    expect(r).toMatchObject({ ok: false, failedIndexes: [0] });
  });
});
