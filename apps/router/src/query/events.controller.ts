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
import type { FalcoEvent } from '@falconer/contracts';
import type { FalconerConfig } from '@falconer/config';
import { serializeEvent, serializeOutputFields } from '@falconer/falco';
import { normalizeQuery, type EventStore } from '@falconer/store';
import { CONFIG, LOGGER, STORE } from '../core/tokens';
import { csvField, eventQuery, groupBy, histogramInterval, pageOptions, type RawQuery } from './query-params';

const JSON_TYPE = 'application/json; charset=utf-8';
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

  @Get('search')
  @Header('content-type', JSON_TYPE)
  async search(@Query() raw: RawQuery): Promise<string> {
    const query = eventQuery(raw);
    const options = pageOptions(raw);
    const { total, results } = await this.store.search(query, options);
    return `{"statistics":{"all":${total}},"results":[${results.map((e) => serializeEvent(e)).join(',')}]}`;
  }

  @Get('count')
  async count(@Query() raw: RawQuery): Promise<{ statistics: { all: number } }> {
    return { statistics: { all: await this.store.count(eventQuery(raw)) } };
  }

  @Get('count/:groupby')
  async countBy(
    @Param('groupby') by: string,
    @Query() raw: RawQuery,
  ): Promise<{ statistics: Record<string, number> }> {
    const g = groupBy(by);
    const counts = await this.store.countBy(g, eventQuery(raw));
    // a null-prototype copy: a value such as "__proto__" is data, not a prototype
    const statistics = Object.assign(Object.create(null) as Record<string, number>, counts);
    return { statistics };
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
    return `{"event":${serializeEvent(d.event)},"deliveries":${JSON.stringify(d.deliveries)},"remediations":${JSON.stringify(d.remediations)}}`;
  }
}
