/**
 * The parse worker's entry (bundled to dist/apps/router/parse-worker.js): bodies in, parsed events or
 * refusals out, nothing else. See ParsePool.
 */
import { Session } from 'node:inspector';
import { parentPort, workerData } from 'node:worker_threads';
import { EventValidationError, parseEvent, toTransfer, type EventLimits } from '@falconer/falco';
import type { ParseReply, ParseRequest } from './parse-pool';

const limits = (workerData as { limits: EventLimits }).limits;
const port = parentPort;
if (port === null) throw new Error('parse-worker.js runs as a worker thread only');

/** Quiet time after which the worker gives back the memory a burst made it take. */
const IDLE_MS = 2_000;

/**
 * A burst grows the worker's young generation to its largest (two semi-spaces of the router's
 * --max-semi-space-size, 64 MB: a V8 flag overrides a worker's resourceLimits), and nothing here ever
 * shrinks it again: the worker keeps no data, so no full collection (whose memory reducer would) ever
 * runs. That was ~70 MB of the router's RSS after bench/memory.mjs (ADR 0005). Once no body has come for
 * IDLE_MS, one full collection, asked through the worker's own inspector session (an in-process channel;
 * no port is opened), gives it back: a few milliseconds on this thread, once per burst.
 */
function releaser(): () => void {
  let session: Session;
  try {
    session = new Session();
    session.connect();
  } catch {
    return () => undefined; // a Node built without the inspector: the memory stays taken, nothing else changes
  }
  let timer: NodeJS.Timeout | undefined;
  const release = (): void => {
    timer = undefined;
    session.post('HeapProfiler.collectGarbage');
  };
  return () => {
    if (timer !== undefined) timer.refresh();
    else timer = setTimeout(release, IDLE_MS).unref();
  };
}
const busy = releaser();

port.on('message', (batch: ParseRequest[]) => {
  busy();
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
