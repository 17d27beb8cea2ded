import { COMMON_SETTINGS, defineOutput, setting } from '@falconer/outputs-core';
import { RabbitmqOutput } from './rabbitmq.output';

export const RABBITMQ_SETTINGS = {
  url: setting.string('AMQP URL, `amqp://user:password@host:5672/vhost` (enables the output)', '', {
    required: true,
    secret: true,
  }),
  queue: setting.string('Queue the events are published to (through the default exchange)', '', {
    required: true,
  }),
  ...COMMON_SETTINGS,
};

export const rabbitmqOutput = defineOutput({
  type: 'rabbitmq',
  title: 'RabbitMQ',
  section: 'rabbitmq',
  enabledBy: ['url'],
  settings: RABBITMQ_SETTINGS,
  falcosidekick: 'outputs/rabbitmq.go',
  summary:
    "Publishes falcosidekick's event JSON (`content-type: text/plain`) to a queue through the default exchange, on one AMQP connection and confirm channel kept for the output's lifetime; each batch is confirmed by the broker.",
  example: `rabbitmq:
  url: amqp://falco:s3cret@rabbitmq.messaging:5672/
  queue: falco`,
  create: (v, ctx) => {
    if (v.url !== '' && !/^amqps?:\/\/[^/]/.test(v.url))
      ctx.error('url', 'expected amqp://user:password@host:port/vhost');
    return new RabbitmqOutput(ctx.name, ctx.type, {
      url: v.url,
      queue: v.queue,
      connectionName: `falconer-${ctx.name}`,
      secrets: ctx.secrets,
    });
  },
});
