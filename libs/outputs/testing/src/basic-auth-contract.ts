import type { Output } from '@falconer/outputs-core';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from './sample-events';

/**
 * An output sending Basic Auth (Node-RED, n8n): its encoded `user:password` never reaches a result, even
 * when the destination answers 500 echoing the Authorization header. The user is chosen so that the
 * base64 of the password alone is not a substring of the header's (`falcon:` is 7 bytes, not a multiple
 * of 3), so only scrubbing the encoded pair passes.
 */
export function basicAuthScrubContract(o: {
  name: string;
  make: (url: string, user: string, password: string) => Output;
}): void {
  describe(`${o.name}: Basic credentials out of error texts`, () => {
    let rx: Receiver;
    beforeAll(async () => {
      rx = await Receiver.start((req) => ({
        status: 500,
        body: `rejected ${String(req.headers['authorization'])}`,
      }));
    });
    afterAll(() => rx.close());

    it('keeps the encoded credentials out of the dead-letter reason when the destination echoes them', async () => {
      const output = o.make(rx.url, 'falcon', 'echo-pass-1');
      const result = await output.send([sampleEvent()], new AbortController().signal);
      await output.close?.();
      expect(result).toMatchObject({ ok: false, retryable: true, reason: 'server_error' });
      expect(JSON.stringify(result)).toContain('rejected');
      expect(JSON.stringify(result)).not.toContain(Buffer.from('falcon:echo-pass-1').toString('base64'));
    });
  });
}
