import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createDispatcher } from '@falconer/delivery';
import { outageBurst, sampleEvent, uuidsIn } from '@falconer/outputs-testing';
import { canConnect, serviceAvailable, TcpProxy } from '@falconer/testing';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasRabbit = await serviceAvailable('RabbitMQ on 127.0.0.1:5672', () => canConnect(5672));

/** Drains the queue, returning the bodies. */
async function drain(ch: Channel, queue: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (;;) {
    const m = await ch.get(queue, { noAck: true });
    if (m === false) return out;
    out.push(m.content);
  }
}

// RabbitMQ is shared by everyone on the machine and too heavy to run per test: the outage is a TCP proxy
// in front of it that drops every connection and refuses new ones for 10 s (what a client sees of a
// stopped broker); a second test closes the output's connection from the broker with rabbitmqctl.
describe.skipIf(!hasRabbit)('RabbitMQ unreachable for 10 s during a 500-event burst', () => {
  const queue = `falconer-outage-${process.pid}-${Date.now()}`;
  let conn: ChannelModel;
  let ch: Channel;
  beforeAll(async () => {
    conn = await connect('amqp://guest:guest@127.0.0.1:5672');
    ch = await conn.createChannel();
    await ch.assertQueue(queue, { durable: false });
  });
  afterAll(async () => {
    await ch.deleteQueue(queue);
    await conn.close();
  });

  it('all 500 delivered, none dead-lettered, one connection before the outage and one after', async () => {
    const proxy = await TcpProxy.open({ host: '127.0.0.1', port: 5672 });
    const { config } = loadRouterConfig({
      env: {},
      yaml: `rabbitmq:\n  url: amqp://guest:guest@127.0.0.1:${proxy.port}/\n  queue: ${queue}\n`,
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    let acceptedBefore = 0;
    const report = await outageBurst({
      createDispatcher,
      output: instances[0]!.output,
      stop: () => {
        acceptedBefore = proxy.accepted;
        return proxy.stop();
      },
      start: () => proxy.start(),
      received: async () => uuidsIn(await drain(ch, queue)),
    });
    await proxy.stop();
    console.log(
      'RabbitMQ outage:',
      JSON.stringify({ ...report, missing: report.missing.length, acceptedBefore, accepted: proxy.accepted }),
    );
    expect(report.missing).toEqual([]);
    expect(report).toMatchObject({ enqueued: 500, unique: 500, deadLettered: 0 });
    expect(report.outageMs).toBeGreaterThanOrEqual(10_000);
    expect(acceptedBefore).toBe(1);
    expect(proxy.accepted).toBe(2);
    expect(report.health).toMatchObject({ state: 'connected', connects: 2, disconnects: 1 });
  }, 90_000);

  it.skipIf(!existsSync('/usr/sbin/rabbitmqctl'))(
    'a connection closed by the broker (rabbitmqctl close_connection) is reopened',
    async () => {
      const { config } = loadRouterConfig({
        env: {},
        yaml: `outputs:\n  - name: amqp-close-${process.pid}\n    type: rabbitmq\n    url: amqp://guest:guest@127.0.0.1:5672/\n    queue: ${queue}\n`,
      });
      const { instances } = buildOutputs(config.outputs);
      const output = instances[0]!.output;
      const signal = new AbortController().signal;
      expect(await output.send([sampleEvent()], signal)).toEqual({ ok: true });
      const name = `falconer-amqp-close-${process.pid}`;
      const list = execFileSync('rabbitmqctl', [
        'list_connections',
        'pid',
        'client_properties',
        '--silent',
        '--no-table-headers',
      ]).toString();
      const pid = list
        .split('\n')
        .find((l) => l.includes(`{"connection_name","${name}"}`))
        ?.split('\t')[0];
      expect(pid).toBeDefined();
      execFileSync('rabbitmqctl', ['close_connection', pid!, 'falconer test']);
      // the first send after the close may fail (retryable) while the loss is noticed; the next one reconnects
      let r = await output.send([sampleEvent()], signal);
      for (let i = 0; i < 20 && !r.ok; i++) {
        expect(r).toMatchObject({ retryable: true });
        await new Promise((res) => setTimeout(res, 300));
        r = await output.send([sampleEvent()], signal);
      }
      expect(r).toEqual({ ok: true });
      expect(output.health?.()).toMatchObject({ state: 'connected', connects: 2, disconnects: 1 });
      await output.close?.();
      expect((await drain(ch, queue)).length).toBeGreaterThanOrEqual(2);
    },
    30_000,
  );
});
