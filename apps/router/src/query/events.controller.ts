import { Readable } from 'node:stream';
import {
  Controller,
  Get,
  Header,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { CountByResponse, CountResponse, FalcoEvent, TriageMark } from '@falconer/contracts';
import type { FalconerConfig } from '@falconer/config';
import { serializeEvent, serializeOutputFields, serializeStoredEvent } from '@falconer/falco';
import { normalizeQuery, type EventStore } from '@falconer/store';
import { CONFIG, LOGGER, STORE } from '../core/tokens';
import {
  csvField,
  eventQuery,
  groupBy,
  histogramInterval,
  MAX_PAGE_IN_MEMORY,
  pageOptions,
  type RawQuery,
} from './query-params';

const JSON_TYPE = 'application/json; charset=utf-8';

function searchStatistics(returned: number, all: number): string {
  return returned === 0 ? `{"all":${all}}` : `{"returned":${returned},"all":${all}}`;
}
/**
 * A search result with Falconer's `triage` key (`{"state","by","at"}`) after falcosidekick-ui's keys, for
 * events that are not `new`: an untouched event is byte for byte what falcosidekick-ui answers.
 */
function withTriage(json: string, mark: TriageMark | undefined): string {
  return mark === undefined ? json : `${json.slice(0, -1)},"triage":${JSON.stringify(mark)}}`;
}
const WEEK_MS = 7 * 24 * 3_600_000;
export const CSV_COLUMNS = [
  'time',
  'uuid',
  'priority',
  'rule',
  'source',
  'hostname',
  'tags',
  'output',
  'output_fields',
] as const;

function csvLine(e: FalcoEvent): string {
  return (
    [
      e.time,
      e.uuid,
      e.priority,
      e.rule,
      e.source,
      e.hostname,
      e.tags.join(','),
      e.output,
      serializeOutputFields(e.output_fields),
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}

/**
 * History API, falcosidekick-ui 2.x compatible (spec/api.md). Events are written with `serializeEvent`,
 * never JSON.stringify, so every number leaves exactly as it came in.
 */
@Controller('api/v1/events')
export class EventsController {
  constructor(
    @Inject(STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: FalconerConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * falcosidekick-ui's shape, keys in its order: `{"results":[…],"statistics":{"returned":n,"all":N}}`
   * (`returned` left out when 0, as its Go encoder does). A page larger than MAX_PAGE_IN_MEMORY is
   * streamed from the store's export cursor, so Export's `limit=10000` never holds the page in memory.
   */
  @Get('search')
  async search(@Query() raw: RawQuery, @Res() reply: FastifyReply): Promise<void> {
    const query = eventQuery(raw);
    const options = pageOptions(raw);
    normalizeQuery(query); // a bad parameter is a 400 before anything is sent
    void reply.header('content-type', JSON_TYPE);
    if (options.limit <= MAX_PAGE_IN_MEMORY) {
      const { total, results } = await this.store.search(query, options);
      const triage = await this.store.triageOf(results.map((e) => e.uuid));
      await reply.send(
        `{"results":[${results.map((e) => withTriage(serializeStoredEvent(e), triage.get(e.uuid))).join(',')}],"statistics":${searchStatistics(results.length, total)}}`,
      );
      return;
    }
    const store = this.store;
    const log = this.log;
    const skip = (options.page - 1) * options.limit;
    async function* body(): AsyncGenerator<string> {
      yield '{"results":[';
      let seen = 0;
      let returned = 0;
      try {
        for await (const e of store.export(query)) {
          if (seen++ < skip) continue;
          yield (returned === 0 ? '' : ',') + serializeStoredEvent(e);
          if (++returned === options.limit) break;
        }
        yield `],"statistics":${searchStatistics(returned, await store.count(query))}}`;
      } catch (err) {
        // the status line is gone already: cut the stream so the client sees an incomplete body
        log.error({ err: String(err) }, 'search failed while streaming');
        throw err;
      }
    }
    await reply.header('cache-control', 'no-store').send(Readable.from(body(), { objectMode: false }));
  }

  @Get('count')
  async count(@Query() raw: RawQuery): Promise<CountResponse> {
    return { statistics: { all: await this.store.count(eventQuery(raw)) } };
  }

  /**
   * falcosidekick-ui's shape: `{"results":{value:n},"statistics":{"all":Σn,"distincts":k}}`; with no
   * match `{"results":{},"statistics":{"all":0}}`. `all` sums the counts (an event with two tags counts twice).
   */
  @Get('count/:groupby')
  async countBy(@Param('groupby') by: string, @Query() raw: RawQuery): Promise<CountByResponse> {
    const g = groupBy(by);
    const counts = await this.store.countBy(g, eventQuery(raw));
    // a null-prototype copy: a value such as "__proto__" is data, not a prototype
    const results = Object.assign(Object.create(null) as Record<string, number>, counts);
    let all = 0;
    let distincts = 0;
    for (const k in results) {
      all += results[k] ?? 0;
      distincts++;
    }
    return { results, statistics: distincts === 0 ? { all } : { all, distincts } };
  }

  @Get('histogram')
  async histogram(@Query() raw: RawQuery): Promise<unknown> {
    const query = eventQuery(raw);
    const now = Date.now();
    const q = normalizeQuery(query, now);
    const retention = this.config.store.ttlMs > 0 ? this.config.store.ttlMs : WEEK_MS;
    const span = Math.max(1000, (q.toMs ?? now) - (q.fromMs ?? now - retention));
    return this.store.histogram(query, histogramInterval(raw, span));
  }

  /** NDJSON (default) or CSV, streamed newest first, without a cap. */
  @Get('export')
  async export(@Query() raw: RawQuery, @Res() reply: FastifyReply): Promise<void> {
    const query = eventQuery(raw);
    normalizeQuery(query); // a bad parameter is a 400 before anything is streamed
    const format = typeof raw['format'] === 'string' ? raw['format'].toLowerCase() : 'ndjson';
    if (format !== 'ndjson' && format !== 'csv') {
      throw new HttpException(
        {
          error: 'invalid_parameter',
          message: `format: expected ndjson or csv, got "${format}"`,
          field: 'format',
        },
        HttpStatus.BAD_REQUEST,
      );
    }
    const csv = format === 'csv';
    const store = this.store;
    const log = this.log;
    async function* lines(): AsyncGenerator<string> {
      if (csv) yield CSV_COLUMNS.join(',') + '\r\n';
      try {
        for await (const e of store.export(query)) yield csv ? csvLine(e) : serializeEvent(e) + '\n';
      } catch (err) {
        // the status line is gone already: cut the stream so the client sees an incomplete body
        log.error({ err: String(err) }, 'export failed while streaming');
        throw err;
      }
    }
    await reply
      .header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="falconer-events.${csv ? 'csv' : 'ndjson'}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines(), { objectMode: false }));
  }

  @Get(':uuid')
  @Header('content-type', JSON_TYPE)
  async get(@Param('uuid') uuid: string): Promise<string> {
    const d = await this.store.get(uuid);
    if (d === undefined)
      throw new HttpException(
        { error: 'not_found', message: `no stored event with uuid "${uuid}"` },
        HttpStatus.NOT_FOUND,
      );
    const { event, ...rest } = d;
    // the event written by hand (numbers beyond 2^53 stay exact), the rest is plain JSON
    return `{"event":${serializeStoredEvent(event)},${JSON.stringify(rest).slice(1)}`;
  }
}
