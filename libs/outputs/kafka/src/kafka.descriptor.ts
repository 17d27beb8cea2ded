import { COMMON_SETTINGS, defineOutput, loadTls, serverList, setting } from '@falconer/outputs-core';
import type { SASLOptions } from 'kafkajs';
import { COMPRESSIONS, compressionType } from './kafka.codecs';
import { BALANCERS } from './kafka.partition';
import { KafkaOutput } from './kafka.output';

export const KAFKA_SETTINGS = {
  hostport: setting.list(
    'Bootstrap brokers, `host:port,host:port` (port 9092 when absent; enables the output)',
    [],
    {
      required: true,
    },
  ),
  topic: setting.string('Topic', '', { required: true }),
  sasl: setting.enum(
    'SASL mechanism (empty: none)',
    ['', 'PLAIN', 'SCRAM_SHA256', 'SCRAM_SHA512'] as const,
    '',
  ),
  username: setting.string('SASL user name', ''),
  password: setting.string('SASL password', '', { secret: true }),
  tls: setting.bool('Connect with TLS (system roots plus `tlsclient.cacertfile`)', false),
  balancer: setting.enum('Partition balancer', BALANCERS, 'round_robin'),
  clientid: setting.string('Client id sent to the brokers (default `falconer`)', ''),
  compression: setting.enum('Compression: `NONE`, `GZIP`, `SNAPPY`, `LZ4` or `ZSTD`', COMPRESSIONS, 'NONE'),
  async: setting.bool(
    "falcosidekick's fire-and-forget mode: accepted, but Falconer always waits for the answer",
    false,
  ),
  requiredacks: setting.enum(
    'Acknowledgements awaited: NONE, ONE (the leader) or ALL (in-sync replicas)',
    ['NONE', 'ONE', 'ALL'] as const,
    'NONE',
  ),
  topiccreation: setting.bool('Let the broker create the topic when it does not exist', false),
  ...COMMON_SETTINGS,
};

const ACKS = { NONE: 0, ONE: 1, ALL: -1 } as const;

export const kafkaOutput = defineOutput({
  type: 'kafka',
  title: 'Kafka',
  section: 'kafka',
  enabledBy: ['hostport'],
  settings: KAFKA_SETTINGS,
  falcosidekick: 'outputs/kafka.go',
  summary:
    "Produces falcosidekick's event JSON (no key) to a Kafka topic with one producer kept for the output's lifetime; a batch is one produce call.",
  example: `kafka:
  hostport: kafka-0.kafka:9092,kafka-1.kafka:9092
  topic: falco
  requiredacks: ALL
  compression: GZIP
  sasl: SCRAM_SHA512
  username: falco
  password: s3cret
  tls: true`,
  create: (v, ctx) => {
    const brokers = serverList(v.hostport).map((h) => (/:\d+$/.test(h) ? h : `${h}:9092`));
    if (v.async)
      ctx.warn(
        'kafka.async is accepted but not used: Falconer waits for the broker so a failed write is retried; batching gives the throughput',
      );
    let sasl: SASLOptions | undefined;
    if (v.sasl !== '') {
      if (v.username === '' || v.password === '') ctx.error('sasl', 'needs username and password');
      const mechanism =
        v.sasl === 'PLAIN' ? 'plain' : v.sasl === 'SCRAM_SHA256' ? 'scram-sha-256' : 'scram-sha-512';
      sasl = { mechanism, username: v.username, password: v.password };
    }
    const { material, errors } = loadTls(ctx.tls, false);
    for (const e of errors) ctx.error('tls', e);
    return new KafkaOutput(ctx.name, ctx.type, {
      brokers,
      topic: v.topic,
      clientId: v.clientid === '' ? 'falconer' : v.clientid,
      acks: ACKS[v.requiredacks],
      compression: compressionType(v.compression),
      balancer: v.balancer,
      topicCreation: v.topiccreation,
      ...(sasl ? { sasl } : {}),
      ...(v.tls ? { ssl: material.ca ? { ca: material.ca } : true } : {}),
      secrets: ctx.secrets,
    });
  },
});
