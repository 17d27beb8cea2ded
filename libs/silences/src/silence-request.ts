import type { Silence } from '@falconer/contracts';
import { parseRfc3339 } from '@falconer/falco';
import { compileFilter } from '@falconer/routing';
import { parseDuration } from '@falconer/util';

/** Longest silence accepted: a forgotten silence should not mute an output for years. */
export const MAX_SILENCE_MS = 366 * 86_400_000;
export const MAX_COMMENT_LENGTH = 2_000;
/** Largest matcher (its JSON): 1 000 kept silences stay small in memory and in Redis. */
export const MAX_FILTER_BYTES = 16 * 1024;
const MAX_OUTPUTS = 1_000;

/** A refused create request: the router answers 400 `{"error":"invalid_silence","message","field"}`. */
export class SilenceRequestError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SilenceRequestError';
  }
}

/** RFC 3339 with whole seconds in UTC, as the API shows `startsAt`/`endsAt`. */
export function secondsText(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface CreateContext {
  /** The configured output instance names. */
  outputs: readonly string[];
  nowMs: number;
  createdBy: string;
  id: string;
}

/**
 * Reads a `POST /api/v1/silences` body into a silence, or throws SilenceRequestError with every problem
 * (the first one's field in `field`). The window starts at this second and ends at `endsAt` (or now +
 * `duration`), rounded up to a whole second so that the expiry shown is the expiry applied.
 */
export function readCreateRequest(body: unknown, ctx: CreateContext): Silence {
  const problems: { field: string; message: string }[] = [];
  const fail = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  if (!isMap(body))
    throw new SilenceRequestError('expected a JSON object { filter, outputs?, duration | endsAt, comment? }');
  for (const k of Object.keys(body))
    if (!['filter', 'outputs', 'duration', 'endsAt', 'comment'].includes(k))
      fail(k, `unknown key (expected filter|outputs|duration|endsAt|comment)`);

  const filter = body['filter'];
  let matcher = '';
  if (!isMap(filter)) fail('filter', 'expected a map of conditions in the routing filter language');
  else if (Buffer.byteLength(JSON.stringify(filter)) > MAX_FILTER_BYTES)
    fail('filter', `larger than ${MAX_FILTER_BYTES} bytes of JSON`);
  else {
    const compiled = compileFilter(filter, 'filter');
    for (const e of compiled.errors) {
      const at = e.indexOf(': ');
      fail(e.slice(0, at), e.slice(at + 2));
    }
    if (compiled.errors.length === 0 && compiled.filter.empty)
      fail('filter', 'needs at least one condition (a silence of every event is refused)');
    matcher = compiled.filter.describe;
  }

  const outputs: string[] = [];
  const rawOutputs = body['outputs'];
  if (rawOutputs !== undefined && rawOutputs !== null) {
    if (!Array.isArray(rawOutputs) || rawOutputs.length > MAX_OUTPUTS)
      fail(
        'outputs',
        `expected a list of output names (at most ${MAX_OUTPUTS}); empty or absent = every output`,
      );
    else
      rawOutputs.forEach((o: unknown, i) => {
        if (typeof o !== 'string') fail(`outputs[${i}]`, 'expected an output name');
        else if (!ctx.outputs.includes(o))
          fail(
            `outputs[${i}]`,
            `unknown output "${o}" (configured: ${ctx.outputs.length === 0 ? 'none' : ctx.outputs.join(', ')})`,
          );
        else if (!outputs.includes(o)) outputs.push(o);
      });
  }

  const startsMs = Math.floor(ctx.nowMs / 1000) * 1000;
  let endsMs: number | undefined;
  const duration = body['duration'];
  const endsAt = body['endsAt'];
  if ((duration === undefined) === (endsAt === undefined))
    fail('duration', 'give exactly one of duration (e.g. 1h) and endsAt (RFC 3339)');
  else if (duration !== undefined) {
    try {
      if (typeof duration !== 'string') throw new Error(`expected a duration such as 30m or 1h`);
      const ms = parseDuration(duration);
      if (ms < 1000) fail('duration', 'must be at least 1s');
      else if (ms > MAX_SILENCE_MS) fail('duration', 'must be at most 366d');
      else endsMs = Math.ceil((ctx.nowMs + ms) / 1000) * 1000;
    } catch (e) {
      fail('duration', (e as Error).message);
    }
  } else {
    const t = typeof endsAt === 'string' ? parseRfc3339(endsAt) : undefined;
    if (t === undefined) fail('endsAt', 'expected an RFC 3339 time such as 2026-12-01T08:00:00Z');
    else if (t.ms <= ctx.nowMs) fail('endsAt', `${endsAt as string} is in the past`);
    else if (t.ms - ctx.nowMs > MAX_SILENCE_MS) fail('endsAt', 'must be at most 366d ahead');
    else endsMs = Math.ceil(t.ms / 1000) * 1000;
  }

  const comment = body['comment'] ?? '';
  if (typeof comment !== 'string' || comment.length > MAX_COMMENT_LENGTH)
    fail('comment', `expected a text of at most ${MAX_COMMENT_LENGTH} characters`);

  const first = problems[0];
  if (first !== undefined)
    throw new SilenceRequestError(problems.map((p) => `${p.field}: ${p.message}`).join('; '), first.field);
  return {
    id: ctx.id,
    filter: filter as Record<string, unknown>,
    matcher,
    outputs,
    startsAt: secondsText(startsMs),
    endsAt: secondsText(endsMs as number),
    createdBy: ctx.createdBy,
    comment: comment as string,
  };
}
