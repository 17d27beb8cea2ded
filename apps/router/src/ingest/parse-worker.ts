/**
 * The parse worker's entry (bundled to dist/apps/router/parse-worker.js): bodies in, parsed events or
 * refusals out, nothing else. See ParsePool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventValidationError, parseEvent, toTransfer, type EventLimits } from '@falconer/falco';
import type { ParseReply, ParseRequest } from './parse-pool';

const limits = (workerData as { limits: EventLimits }).limits;
const port = parentPort;
if (port === null) throw new Error('parse-worker.js runs as a worker thread only');

port.on('message', (batch: ParseRequest[]) => {
  const replies: ParseReply[] = [];
  for (const { id, body } of batch) {
    try {
      replies.push({ id, parsed: toTransfer(parseEvent(Buffer.from(body, 'latin1'), limits)) });
    } catch (err) {
      replies.push(
        err instanceof EventValidationError
          ? {
              id,
              refusal: { message: err.message, code: err.code, ...(err.field ? { field: err.field } : {}) },
            }
          : { id },
      );
    }
  }
  port.postMessage(replies);
});
