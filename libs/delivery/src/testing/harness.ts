import type { RecordedRequest } from '@falconer/testing';
import { webhookOutput } from '@falconer/outputs-webhook';
import { createOutput } from '@falconer/outputs-core';
import type { DeliveryTarget } from '../delivery-service';

/** A real webhook output instance (libs/outputs/webhook) as a delivery target. */
export function webhookTarget(
  name: string,
  address: string,
  opts: {
    settings?: Record<string, unknown>;
    delivery?: Record<string, unknown>;
    aggregate?: Record<string, unknown>;
  } = {},
): DeliveryTarget {
  const { output, errors } = createOutput(
    webhookOutput,
    { name, type: 'webhook', settings: { address, ...opts.settings }, path: name },
    {},
  );
  if (errors.length > 0) throw new Error(errors.join('; '));
  return {
    name,
    type: 'webhook',
    output,
    delivery: opts.delivery ?? {},
    ...(opts.aggregate ? { aggregate: opts.aggregate } : {}),
    filterText: 'all events',
  };
}

/** The uuids in a webhook request (one event, or an array when batched). */
export function uuidsOf(req: RecordedRequest): string[] {
  const body = JSON.parse(req.text) as { uuid: string } | { uuid: string }[];
  return Array.isArray(body) ? body.map((e) => e.uuid) : [body.uuid];
}

export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
