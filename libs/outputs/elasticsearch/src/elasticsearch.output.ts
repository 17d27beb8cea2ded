import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { FalcoEvent } from '@falconer/contracts';
import {
  HttpSender,
  safeExcerpt,
  type BatchPolicy,
  type HttpResponse,
  type Output,
  type OutputNotice,
  type SendFailure,
  type SendResult,
} from '@falconer/outputs-core';
import type { ElasticsearchConfig } from './elasticsearch.config';
import {
  conflictingField,
  dropField,
  formatBulkEntry,
  formatDocument,
  indexName,
  indexTemplate,
} from './elasticsearch.format';

const gzip = promisify(gzipCb);

interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: unknown };
}

/** Elasticsearch: one document per request, or `_bulk` when batching is enabled. Never retries a batch. */
export class ElasticsearchOutput implements Output {
  readonly type = 'elasticsearch';
  readonly batch?: BatchPolicy;
  private readonly http: HttpSender;
  private readonly query: string;

  constructor(
    readonly name: string,
    private readonly config: ElasticsearchConfig,
    private readonly notice: (n: OutputNotice) => void = () => undefined,
  ) {
    this.http = new HttpSender(config.http);
    if (config.batch) this.batch = config.batch;
    this.query = config.pipeline === '' ? '' : `?pipeline=${encodeURIComponent(config.pipeline)}`;
  }

  /** `createindextemplate`: installs the index template when Elasticsearch does not have it yet. */
  async init(signal: AbortSignal): Promise<SendResult> {
    if (!this.config.createindextemplate) return { ok: true };
    const url = `${this.config.hostport}/_index_template/${encodeURIComponent(this.config.index)}`;
    const got = await this.http.request({ method: 'GET', url, headers: this.headers() }, signal);
    if (got.failure) return got.failure;
    if (got.response.status >= 200 && got.response.status < 300) return { ok: true };
    if (got.response.status !== 404) return this.http.classify(got.response, url) ?? { ok: true };
    const c = this.config;
    const put = await this.http.send(
      {
        method: 'PUT',
        url,
        headers: this.headers(),
        body: indexTemplate(c.index, c.suffix, c.numberofshards, c.numberofreplicas),
      },
      signal,
    );
    return put.ok ? { ok: true } : put;
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    if (this.config.batch) return this.sendBulk(batch, signal);
    return this.sendSingles(batch, signal);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.config.authorization !== '') h['Authorization'] = this.config.authorization;
    return h;
  }

  private async post(url: string, body: string, contentType: string | undefined, signal: AbortSignal) {
    const headers = this.headers(contentType ? { 'Content-Type': contentType } : {});
    if (this.config.compression) {
      headers['Content-Encoding'] = 'gzip';
      return this.http.request({ method: 'POST', url, headers, body: await gzip(body) }, signal);
    }
    return this.http.request({ method: 'POST', url, headers, body }, signal);
  }

  private async sendSingles(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    for (let i = 0; i < batch.length; i++) {
      const r = await this.sendOne(batch[i] as FalcoEvent, signal);
      if (!r.ok) {
        if (batch.length === 1) return r;
        const rest = Array.from({ length: batch.length - i }, (_, k) => i + k);
        return r.retryable
          ? { ...r, failedIndexes: rest }
          : { ...r, retryable: rest.length > 1, failedIndexes: rest.slice(1), rejectedIndexes: [i] };
      }
    }
    return { ok: true };
  }

  private async sendOne(event: FalcoEvent, signal: AbortSignal): Promise<SendResult> {
    const c = this.config;
    const url = `${c.hostport}/${indexName(c.index, c.suffix, event.time)}/${c.type}${this.query}`;
    const first = await this.post(url, formatDocument(event, c.flatten), undefined, signal);
    if (first.failure) return first.failure;
    const failure = this.http.classify(first.response, url);
    if (!failure) return { ok: true };
    // A mapping conflict: drop the offending field and send once more, as falcosidekick does.
    const field = first.response.status === 400 ? conflictingField(first.response.body) : undefined;
    const fixed = field === undefined ? undefined : dropField(event, field, c.flatten);
    if (field === undefined || fixed === undefined) return failure;
    this.dropped(field, event);
    const second = await this.post(url, formatDocument(fixed, c.flatten), undefined, signal);
    if (second.failure) return second.failure;
    return this.http.classify(second.response, url) ?? { ok: true };
  }

  private dropped(field: string, event: FalcoEvent): void {
    this.notice({
      output: this.name,
      type: this.type,
      event: 'mapping_conflict_field_dropped',
      message: `Elasticsearch refused output field ${field} (mapping conflict); sent without it`,
      data: { field, rule: event.rule, uuid: event.uuid },
    });
  }

  private async bulk(
    entries: readonly { event: FalcoEvent; index: number }[],
    signal: AbortSignal,
  ): Promise<{ items: BulkItemResult[] } | SendFailure> {
    const c = this.config;
    const url = `${c.hostport}/_bulk${this.query}`;
    const body = entries
      .map(({ event }) =>
        formatBulkEntry(indexName(c.index, c.suffix, event.time), formatDocument(event, c.flatten)),
      )
      .join('');
    const out = await this.post(url, body, 'application/x-ndjson', signal);
    if (out.failure) return out.failure;
    const failure = this.http.classify(out.response, url);
    if (failure) return failure;
    const items = parseBulkItems(out.response);
    if (items === undefined || items.length !== entries.length) {
      return {
        ok: false,
        retryable: true,
        reason: 'server_error',
        detail: this.http.detail('unreadable _bulk response', url, out.response.body),
      };
    }
    return { items };
  }

  /**
   * `_bulk`: reads every item's status. Only items that failed retryably (429, 5xx) are reported in
   * `failedIndexes` for the delivery layer to send again; mapping conflicts are fixed and re-sent once
   * here; other refusals are `rejectedIndexes`.
   */
  private async sendBulk(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    if (batch.length === 0) return { ok: true };
    const first = await this.bulk(
      batch.map((event, index) => ({ event, index })),
      signal,
    );
    if ('ok' in first) return first;
    const failed: number[] = [];
    const rejected: number[] = [];
    const reasons = new Map<string, number>();
    let rateLimited = false;
    const conflicts: { event: FalcoEvent; index: number }[] = [];
    const note = (item: BulkItemResult): void => {
      const key = `${item.status} ${item.error?.type ?? ''}`.trim();
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    };
    const judge = (item: BulkItemResult, index: number, event: FalcoEvent, allowFix: boolean): void => {
      if (item.status >= 200 && item.status < 300) return;
      if (item.status === 429 || item.status >= 500) {
        if (item.status === 429) rateLimited = true;
        failed.push(index);
        note(item);
        return;
      }
      const field =
        allowFix && item.status === 400 ? conflictingField(JSON.stringify(item.error ?? {})) : undefined;
      const fixed = field === undefined ? undefined : dropField(event, field, this.config.flatten);
      if (field !== undefined && fixed !== undefined) {
        this.dropped(field, event);
        conflicts.push({ event: fixed, index });
        return;
      }
      rejected.push(index);
      note(item);
    };
    first.items.forEach((item, i) => judge(item, i, batch[i] as FalcoEvent, true));
    if (conflicts.length > 0) {
      const again = conflicts.splice(0);
      const second = await this.bulk(again, signal);
      if ('ok' in second) {
        if (second.retryable) failed.push(...again.map((e) => e.index));
        else rejected.push(...again.map((e) => e.index));
        reasons.set(second.reason, (reasons.get(second.reason) ?? 0) + again.length);
      } else {
        second.items.forEach((item, k) =>
          judge(
            item,
            (again[k] as { index: number }).index,
            (again[k] as { event: FalcoEvent }).event,
            false,
          ),
        );
      }
    }
    if (failed.length === 0 && rejected.length === 0) return { ok: true };
    failed.sort((a, b) => a - b);
    rejected.sort((a, b) => a - b);
    const summary = [...reasons].map(([k, n]) => `${n} × ${k}`).join(', ');
    const detail = safeExcerpt(
      `${failed.length + rejected.length} of ${batch.length} documents failed in _bulk: ${summary}`,
      this.http.secrets,
    );
    return {
      ok: false,
      retryable: failed.length > 0,
      reason: failed.length > 0 ? (rateLimited ? 'rate_limited' : 'server_error') : 'client_error',
      detail,
      failedIndexes: failed,
      ...(rejected.length > 0 ? { rejectedIndexes: rejected } : {}),
    };
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}

function parseBulkItems(res: HttpResponse): BulkItemResult[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const items = (parsed as { items?: unknown }).items;
  if (!Array.isArray(items)) return undefined;
  const out: BulkItemResult[] = [];
  for (const it of items as unknown[]) {
    if (it === null || typeof it !== 'object') return undefined;
    const action = Object.values(it as Record<string, unknown>)[0] as BulkItemResult | undefined;
    if (action === undefined || typeof action.status !== 'number') return undefined;
    out.push(action);
  }
  return out;
}
