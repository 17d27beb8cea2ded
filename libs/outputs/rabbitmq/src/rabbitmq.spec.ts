import { createOutput } from '@falconer/outputs-core';
import { SAMPLE_EVENT_JSON, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { canConnect, freePort, serviceAvailable } from '@falconer/testing';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rabbitmqOutput } from './rabbitmq.descriptor';

const signal = (): AbortSignal => new AbortController().signal;
const hasRabbit = await serviceAvailable('RabbitMQ on 127.0.0.1:5672', () => canConnect(5672));

function rabbit(settings: Record<string, unknown>) {
  return createOutput(rabbitmqOutput, { name: 'rabbitmq', type: 'rabbitmq', path: 'rabbitmq', settings }, {});
}

describe('RabbitMQ settings', () => {
  it('needs a queue and an amqp:// URL', () => {
    expect(rabbit({ url: 'http://h' }).errors).toEqual([
      'rabbitmq.queue: required',
      'rabbitmq.url: expected amqp://user:password@host:port/vhost',
    ]);
  });
});

describe.skipIf(!hasRabbit)('RabbitMQ on 127.0.0.1:5672 (outputs/rabbitmq.go)', () => {
  const queue = `falconer-test-${process.pid}-${Date.now()}`;
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

  it("publishes falcosidekick's exact JSON as text/plain to the queue; batches confirmed; one connection", async () => {
    const { output, errors } = rabbit({ url: 'amqp://guest:guest@127.0.0.1:5672/', queue });
    expect(errors).toEqual([]);
    expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
    const m = await ch.get(queue, { noAck: true });
    expect(m && m.content.toString()).toBe(SAMPLE_EVENT_JSON);
    expect(m && m.properties.contentType).toBe('text/plain');
    for (let i = 0; i < 10; i++)
      expect(await output.send([sampleEvent(), secondEvent()], signal())).toEqual({ ok: true });
    expect((await ch.checkQueue(queue)).messageCount).toBe(20);
    expect(output.health?.()).toMatchObject({ state: 'connected', connects: 1, disconnects: 0 });
    await ch.purgeQueue(queue);
    await output.close?.();
  });

  it('a batch the broker partly refuses: only the nacked messages are reported for retry', async () => {
    // a queue that holds 2 messages and nacks publishes beyond them
    const full = `${queue}-full`;
    await ch.assertQueue(full, {
      durable: false,
      arguments: { 'x-max-length': 2, 'x-overflow': 'reject-publish' },
    });
    const { output } = rabbit({ url: 'amqp://guest:guest@127.0.0.1:5672/', queue: full });
    const batch = [sampleEvent(), secondEvent(), sampleEvent(), secondEvent(), sampleEvent()];
    const r = await output.send(batch, signal());
    expect(r).toMatchObject({ ok: false, retryable: true, failedIndexes: [2, 3, 4] });
    expect((await ch.checkQueue(full)).messageCount).toBe(2);
    // room again: the retried ones go through
    await ch.purgeQueue(full);
    expect(await output.send(batch.slice(2, 4), signal())).toEqual({ ok: true });
    await output.close?.();
    await ch.deleteQueue(full);
  });

  it('a wrong password is an auth_error, not retried, never shown', async () => {
    const { output } = rabbit({ url: 'amqp://guest:wrong-password-9@127.0.0.1:5672/', queue });
    const r = await output.send([sampleEvent()], signal());
    expect(r).toMatchObject({ ok: false, retryable: false, reason: 'auth_error' });
    expect(JSON.stringify(r)).not.toContain('wrong-password-9');
    await output.close?.();
  });

  it('nothing listening: a retryable network failure', async () => {
    const { output } = rabbit({ url: `amqp://guest:guest@127.0.0.1:${await freePort()}/`, queue });
    expect(await output.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'network',
    });
    await output.close?.();
  });
});
