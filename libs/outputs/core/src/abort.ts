import type { SendFailure, SendResult } from './output';

/**
 * The send's own result, or a retryable `timeout` as soon as the delivery layer aborts — for clients
 * that take no AbortSignal (pg, nodemailer, sockets, the Kubernetes client): the call is no longer
 * awaited, and its late outcome is ignored.
 */
export function untilAborted(
  work: Promise<SendResult>,
  signal: AbortSignal,
  what: string,
): Promise<SendResult> {
  const timeout: SendFailure = { ok: false, retryable: true, reason: 'timeout', detail: `${what} aborted` };
  if (signal.aborted) return Promise.resolve(timeout);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<SendResult>((resolve) => {
    onAbort = () => resolve(timeout);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
