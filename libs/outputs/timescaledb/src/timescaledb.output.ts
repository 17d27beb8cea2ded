import type pg from 'pg';
import type { FalcoEvent } from '@falconer/contracts';
import {
  safeExcerpt,
  untilAborted,
  type BatchPolicy,
  type Output,
  type SendFailure,
  type SendResult,
} from '@falconer/outputs-core';
import { insertStatements, timescaleRow } from './timescaledb.format';

export interface TimescaleConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  table: string;
  customFieldKeys: readonly string[];
  batch: BatchPolicy;
  secrets: readonly string[];
}

/** SQLSTATE classes worth trying again: connection, resources, operator intervention, transaction rollback. */
const RETRYABLE_CLASSES = new Set(['08', '40', '53', '55', '57', '58']);

/** A pg/network error as a SendResult: refused/reset connections and server shutdowns retried, bad SQL or auth not. */
export function pgFailure(err: unknown, secrets: readonly string[]): SendFailure {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  const detail = safeExcerpt(
    `PostgreSQL: ${code === '' ? '' : `${code} `}${e?.message ?? String(err)}`,
    secrets,
    400,
  );
  if (code === '28P01' || code === '28000')
    return { ok: false, retryable: false, reason: 'auth_error', detail };
  if (/^[0-9A-Z]{5}$/.test(code)) {
    return RETRYABLE_CLASSES.has(code.slice(0, 2))
      ? { ok: false, retryable: true, reason: 'server_error', detail }
      : { ok: false, retryable: false, reason: 'client_error', detail };
  }
  const timeout = code === 'ETIMEDOUT' || /timeout/i.test(e?.message ?? '');
  return { ok: false, retryable: true, reason: timeout ? 'timeout' : 'network', detail };
}

/**
 * Inserts events as rows of the hypertable (or a plain table) through one small pool that lives as long
 * as the output: connections are kept (no idle close) and replaced on the next send after a failure.
 * A batch is one transaction of multi-row INSERTs: all rows or none.
 */
export class TimescaleDbOutput implements Output {
  readonly batch: BatchPolicy;
  private pool: Promise<pg.Pool> | undefined;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: TimescaleConfig,
  ) {
    this.batch = config.batch;
  }

  /** pg is loaded on the first send, so a router without this output does not load it. */
  private connect(): Promise<pg.PoolClient> {
    const c = this.config;
    this.pool ??= import('pg').then(({ default: { Pool } }) => {
      const pool = new Pool({
        host: c.host,
        port: c.port,
        user: c.user,
        password: c.password,
        database: c.database,
        max: 2,
        idleTimeoutMillis: 0,
        connectionTimeoutMillis: 10_000,
        application_name: `falconer:${this.name}`.slice(0, 63),
      });
      // an idle connection dropped by the server: the pool discards it; the next send opens another
      pool.on('error', () => undefined);
      return pool;
    });
    return this.pool.then((pool) => pool.connect());
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    const rows = batch.map((e) => timescaleRow(e, this.config.customFieldKeys));
    const statements = insertStatements(this.config.table, rows);
    return untilAborted(this.insert(statements), signal, 'PostgreSQL insert');
  }

  private async insert(statements: { text: string; values: (string | null)[] }[]): Promise<SendResult> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.connect();
      if (statements.length === 1) await client.query(statements[0] as pg.QueryConfig);
      else {
        await client.query('BEGIN');
        for (const s of statements) await client.query(s);
        await client.query('COMMIT');
      }
      client.release();
      return { ok: true };
    } catch (err) {
      // a connection that failed mid-transaction is not given back to the pool
      client?.release(err instanceof Error ? err : true);
      return pgFailure(err, this.config.secrets);
    }
  }

  async close(): Promise<void> {
    const pool = await this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
