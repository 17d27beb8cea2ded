import {
  Body,
  Controller,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Patch,
  Post,
  Req,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  BULK_TRIAGE_MAX,
  BULK_TRIAGE_MAX_UUIDS,
  TRIAGE_STATES,
  type BulkTriageResponse,
  type TriageMark,
} from '@falconer/contracts';
import { normalizeQuery, type EventStore, type TriageOutcome } from '@falconer/store';
import { principalOf } from '../auth/request-gate';
import { STORE } from '../core/tokens';
import { LiveHub } from '../live/live.hub';
import { eventQuery } from './query-params';

/** Store calls in flight at once during a bulk change (Redis pipelines them). */
const PARALLEL = 100;
/** uuids per live message of a bulk change. */
const LIVE_CHUNK = 500;

const state = z.enum(TRIAGE_STATES);
const single = z.strictObject({ state });
const queryValue = z.union([z.string().max(4096), z.array(z.string().max(4096)).max(100)]);
const bulk = z
  .strictObject({
    state,
    query: z.record(z.string(), queryValue).optional(),
    uuids: z.array(z.string().min(1).max(200)).min(1).max(BULK_TRIAGE_MAX_UUIDS).optional(),
  })
  .refine((b) => (b.query === undefined) !== (b.uuids === undefined), {
    message: 'give either "query" or "uuids"',
  });

function invalid(error: z.ZodError): HttpException {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return new HttpException(
    {
      error: 'invalid_body',
      message: `${field === '' ? 'body' : field}: ${issue?.message ?? 'invalid'}`,
      ...(field !== '' ? { field } : {}),
    },
    HttpStatus.BAD_REQUEST,
  );
}

/**
 * Triage (issue 18): an operator sets an event's state (new, acknowledged, resolved), one event or the
 * events of an explorer query at once; every open dashboard hears of it. The request gate lets only
 * operators send these (a viewer gets 403 before this runs); the principal it attached names who did it.
 */
@Controller('api/v1/events')
export class TriageController {
  constructor(
    @Inject(STORE) private readonly store: EventStore,
    @Inject(LiveHub) private readonly live: LiveHub,
  ) {}

  private mark(req: FastifyRequest, s: TriageMark['state']): TriageMark {
    return { state: s, by: principalOf(req.raw)?.username ?? 'anonymous', at: new Date().toISOString() };
  }

  @Patch(':uuid/triage')
  async one(
    @Param('uuid') uuid: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ): Promise<{ uuid: string; changed: boolean; triage: TriageMark }> {
    const parsed = single.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const mark = this.mark(req, parsed.data.state);
    const outcome = await this.store.setTriage(uuid, mark);
    if (outcome === 'missing')
      throw new HttpException(
        { error: 'not_found', message: `no stored event with uuid "${uuid}"` },
        HttpStatus.NOT_FOUND,
      );
    if (outcome === 'changed') {
      this.live.triage({ uuids: [uuid], triage: mark });
      return { uuid, changed: true, triage: mark };
    }
    const current = (await this.store.get(uuid))?.triage ?? { state: parsed.data.state };
    return { uuid, changed: false, triage: current };
  }

  /**
   * `{"state", "query"}`: the events the explorer's query matches, newest first, at most BULK_TRIAGE_MAX
   * per call (`truncated` says more matched); `{"state", "uuids"}`: at most BULK_TRIAGE_MAX_UUIDS listed.
   */
  @Post('triage')
  @HttpCode(200)
  async bulk(@Body() body: unknown, @Req() req: FastifyRequest): Promise<BulkTriageResponse> {
    const parsed = bulk.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const { query, uuids } = parsed.data;
    let targets: string[];
    let truncated = false;
    if (uuids !== undefined) targets = [...new Set(uuids)];
    else {
      const q = eventQuery(query ?? {});
      normalizeQuery(q); // a bad parameter is a 400 before anything changes
      // the matches are listed first: changing states while scanning a triage index would skip some
      targets = [];
      for await (const e of this.store.export(q)) {
        if (targets.length === BULK_TRIAGE_MAX) {
          truncated = true;
          break;
        }
        targets.push(e.uuid);
      }
    }
    const mark = this.mark(req, parsed.data.state);
    const counts: Record<TriageOutcome, number> = { changed: 0, unchanged: 0, missing: 0 };
    const changed: string[] = [];
    for (let i = 0; i < targets.length; i += PARALLEL) {
      const chunk = targets.slice(i, i + PARALLEL);
      const outcomes = await Promise.all(chunk.map((u) => this.store.setTriage(u, mark)));
      outcomes.forEach((o, j) => {
        counts[o]++;
        if (o === 'changed') changed.push(chunk[j] as string);
      });
    }
    for (let i = 0; i < changed.length; i += LIVE_CHUNK)
      this.live.triage({ uuids: changed.slice(i, i + LIVE_CHUNK), triage: mark });
    return { changed: counts.changed, unchanged: counts.unchanged, notFound: counts.missing, truncated };
  }
}
