import type { FalcoEvent } from '@falconer/contracts';
import { HttpSender, type BatchPolicy, type Output, type SendResult } from '@falconer/outputs-core';
import type { InfluxdbConfig } from './influxdb.config';
import { formatInfluxBody } from './influxdb.format';

/** Writes a batch of events as line protocol in one request (v1 `/write` or v2 `/api/v2/write`). */
export class InfluxdbOutput implements Output {
  readonly type = 'influxdb';
  readonly batch: BatchPolicy;
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    private readonly config: InfluxdbConfig,
  ) {
    this.http = new HttpSender(config.http);
    this.batch = config.batch;
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (this.config.token !== '') headers['Authorization'] = `Token ${this.config.token}`;
    const r = await this.http.send(
      {
        method: 'POST',
        url: this.config.writeUrl,
        headers,
        body: formatInfluxBody(batch, this.config.precision),
      },
      signal,
    );
    return r.ok ? { ok: true } : r;
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}
