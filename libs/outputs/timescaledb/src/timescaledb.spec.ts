import pg from 'pg';
import { createOutput, type Output } from '@falconer/outputs-core';
import { sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { canConnect, serviceAvailable } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timescaleDbOutput } from './timescaledb.descriptor';
import { insertStatements, timescaleRow } from './timescaledb.format';

const signal = (): AbortSignal => new AbortController().signal;
const hasPg = await serviceAvailable('PostgreSQL on 127.0.0.1:5432', () => canConnect(5432));
const TABLE = `falconer_ts_${process.pid}_${Date.now().toString(36)}`;
const NAME = `tsdb-${TABLE}`;

describe('timescaledb: rows as outputs/timescaledb.go builds them', () => {
  it('maps the sample event and custom fields to columns; "null" strings to NULL', () => {
    const row = timescaleRow(
      sampleEvent({
        output_fields: {
          ...sampleEvent().output_fields,
          custom_field_1: 'custom "value"',
          k8s_namespace: 'NULL',
          n: 3,
        },
      }),
      ['custom_field_1', 'k8s_namespace', 'n', 'absent'],
    );
    expect([...row]).toEqual([
      ['time', '2019-05-17T15:31:56.746609046Z'],
      ['rule', 'Write below binary dir'],
      ['priority', 'Error'],
      ['source', 'syscall'],
      ['output', sampleEvent().output],
      ['tags', 'filesystem,mitre_persistence'],
      ['hostname', 'falco-node-1'],
      ['custom_field_1', 'custom value'],
      ['k8s_namespace', null],
    ]);
    const noTags = timescaleRow(sampleEvent({ tags: [], hostname: '' }), []);
    expect([...noTags.keys()]).toEqual(['time', 'rule', 'priority', 'source', 'output']);
    expect(insertStatements('t', [row, row, noTags]).map((s) => [s.text, s.values.length])).toEqual([
      [
        'INSERT INTO t ("time","rule","priority","source","output","tags","hostname","custom_field_1","k8s_namespace") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9),($10,$11,$12,$13,$14,$15,$16,$17,$18)',
        18,
      ],
      ['INSERT INTO t ("time","rule","priority","source","output") VALUES ($1,$2,$3,$4,$5)', 5],
    ]);
  });
});

describe.skipIf(!hasPg)(
  'timescaledb against PostgreSQL on 127.0.0.1:5432 (plain table: no TimescaleDB here)',
  () => {
    let admin: pg.Client;
    let output: Output;
    beforeAll(async () => {
      admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
      await admin.connect();
      // falcosidekick's documented schema (docs/outputs/timescaledb.md), custom columns included
      await admin.query(`CREATE TABLE ${TABLE} (
      time TIMESTAMPTZ NOT NULL, rule TEXT, priority VARCHAR(20), source VARCHAR(20), output TEXT,
      tags TEXT, hostname TEXT, custom_field_1 TEXT, k8s_namespace TEXT)`);
      const built = createOutput(
        timescaleDbOutput,
        {
          name: NAME,
          type: 'timescaledb',
          path: 'timescaledb',
          settings: {
            host: '127.0.0.1',
            user: 'postgres',
            password: '',
            database: 'postgres',
            hypertablename: TABLE,
          },
        },
        { customFieldKeys: ['custom_field_1', 'k8s_namespace'] },
      );
      expect(built.errors).toEqual([]);
      output = built.output;
    });
    afterAll(async () => {
      await output?.close?.();
      await admin?.query(`DROP TABLE IF EXISTS ${TABLE}`);
      await admin?.end();
    });

    const rows = async (): Promise<Record<string, unknown>[]> =>
      (
        await admin.query(
          `SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS t, rule, priority, source, output, tags, hostname, custom_field_1, k8s_namespace FROM ${TABLE} ORDER BY time, rule`,
        )
      ).rows as Record<string, unknown>[];

    it('inserts the sample event; SELECT reads back the row falcosidekick would insert', async () => {
      const ev = sampleEvent({
        output_fields: {
          ...sampleEvent().output_fields,
          custom_field_1: 'custom-value-1',
          k8s_namespace: 'null',
        },
      });
      expect(await output.send([ev], signal())).toEqual({ ok: true });
      expect(await rows()).toEqual([
        {
          t: '2019-05-17T15:31:56.746609',
          rule: 'Write below binary dir',
          priority: 'Error',
          source: 'syscall',
          output: ev.output,
          tags: 'filesystem,mitre_persistence',
          hostname: 'falco-node-1',
          custom_field_1: 'custom-value-1',
          k8s_namespace: null,
        },
      ]);
    });

    it('a batch is one transaction; a bad row fails it whole and is not retried', async () => {
      const before = (await rows()).length;
      const batch = [
        secondEvent({ rule: 'b1' }),
        secondEvent({ rule: 'b2', hostname: '' }),
        secondEvent({ rule: 'b3' }),
      ];
      expect(await output.send(batch, signal())).toEqual({ ok: true });
      expect((await rows()).length).toBe(before + 3);
      const bad = [secondEvent({ rule: 'ok' }), secondEvent({ rule: 'bad', source: 'x'.repeat(50) })];
      expect(await output.send(bad, signal())).toMatchObject({
        ok: false,
        retryable: false,
        reason: 'client_error',
      });
      expect((await rows()).length).toBe(before + 3);
    });

    it('keeps its connection (one backend for many sends) and reconnects after the server drops it', async () => {
      for (let i = 0; i < 20; i++)
        expect(await output.send([secondEvent({ rule: `k${i}` })], signal())).toEqual({ ok: true });
      const backends = async (): Promise<number[]> =>
        (
          await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
            `falconer:${NAME}`,
          ])
        ).rows.map((r) => r.pid);
      const pids = await backends();
      expect(pids.length).toBe(1);
      await admin.query('SELECT pg_terminate_backend($1)', [pids[0]]);
      // the dropped connection may be noticed by this send (retryable) or before it (ok)
      const first = await output.send([secondEvent({ rule: 'after-1' })], signal());
      if (!first.ok) expect(first.retryable).toBe(true);
      expect(await output.send([secondEvent({ rule: 'after-2' })], signal())).toEqual({ ok: true });
      expect((await backends()).length).toBe(1);
    });

    it('classifies: wrong table → client_error, refused connection → network (retryable)', async () => {
      const wrong = createOutput(timescaleDbOutput, {
        name: 'w',
        type: 'timescaledb',
        path: 'timescaledb',
        settings: {
          host: '127.0.0.1',
          user: 'postgres',
          password: 's3cret-pw',
          database: 'postgres',
          hypertablename: 'no_such_table_x',
        },
      }).output;
      const r = await wrong.send([sampleEvent()], signal());
      expect(r).toMatchObject({ ok: false, retryable: false, reason: 'client_error' });
      await wrong.close?.();
      const refused = createOutput(timescaleDbOutput, {
        name: 'r',
        type: 'timescaledb',
        path: 'timescaledb',
        settings: { host: '127.0.0.1', port: 1, password: 's3cret-pw', hypertablename: TABLE },
      }).output;
      const n = await refused.send([sampleEvent()], signal());
      expect(n).toMatchObject({ ok: false, retryable: true, reason: 'network' });
      expect(JSON.stringify(n)).not.toContain('s3cret-pw');
      await refused.close?.();
    });
  },
);
