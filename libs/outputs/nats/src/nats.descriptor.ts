import {
  COMMON_SETTINGS,
  defineOutput,
  loadTls,
  serverList,
  setting,
  type CreateContext,
  type SettingValues,
} from '@falconer/outputs-core';
import { DEFAULT_SUBJECT } from './nats.format';
import { NatsOutput, type NatsConfig } from './nats.output';

export const NATS_SETTINGS = {
  hostport: setting.string(
    'NATS server URL(s), `nats://host:4222` (comma-separated for a cluster; enables the output)',
    '',
    {
      required: true,
      secret: true,
    },
  ),
  subjecttemplate: setting.string('Subject; `<priority>` and `<rule>` are replaced', DEFAULT_SUBJECT),
  user: setting.string('User name (or put it in the URL: `nats://user:password@host:4222`)', '', {
    extension: true,
  }),
  password: setting.string('Password', '', { secret: true, extension: true }),
  token: setting.string('Authentication token', '', { secret: true, extension: true }),
  checkcert: setting.bool('Verify the server TLS certificate (`tls://` servers)', true),
  mutualtls: setting.bool('Present the global client certificate (`mutualtlsclient.*`)', false),
  reconnectwait: setting.duration(
    'Wait between reconnection attempts (plus up to half of it at random)',
    500,
    {
      extension: true,
    },
  ),
  ...COMMON_SETTINGS,
};

type NatsValues = SettingValues<typeof NATS_SETTINGS>;

/** `nats.*` (or `stan.*`) as the output takes them; credentials in the URL are moved to options. */
export function natsConfig(v: NatsValues, ctx: CreateContext): NatsConfig {
  let user = v.user === '' ? undefined : v.user;
  let pass = v.password === '' ? undefined : v.password;
  const servers: string[] = [];
  let tls = v.mutualtls || !v.checkcert;
  for (const raw of serverList(v.hostport)) {
    let u: URL;
    try {
      u = new URL(raw.includes('://') ? raw : `nats://${raw}`);
    } catch {
      ctx.error('hostport', `not a NATS URL: expected nats://host:port`);
      continue;
    }
    if (!['nats:', 'tls:', 'ws:', 'wss:'].includes(u.protocol) || u.hostname === '') {
      ctx.error('hostport', `not a NATS URL: expected nats://host:port or tls://host:port`);
      continue;
    }
    if (u.protocol === 'ws:' || u.protocol === 'wss:')
      ctx.error('hostport', 'websocket servers are not supported: use nats://');
    if (u.username !== '') {
      user ??= decodeURIComponent(u.username);
      pass ??= decodeURIComponent(u.password);
    }
    if (u.protocol === 'tls:') tls = true;
    servers.push(`${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || '4222'}`);
  }
  const { material, errors } = loadTls(ctx.tls, v.mutualtls);
  for (const e of errors) ctx.error('mutualtls', e);
  return {
    servers,
    subjectTemplate: v.subjecttemplate,
    ...(user !== undefined ? { user } : {}),
    ...(pass !== undefined ? { pass } : {}),
    ...(v.token !== '' ? { token: v.token } : {}),
    ...(tls ? { tls: { verify: v.checkcert, material } } : {}),
    secrets: [...ctx.secrets, ...(pass !== undefined && pass.length >= 4 ? [pass] : [])],
    reconnectWaitMs: v.reconnectwait,
  };
}

export const natsOutput = defineOutput({
  type: 'nats',
  title: 'NATS',
  section: 'nats',
  enabledBy: ['hostport'],
  settings: NATS_SETTINGS,
  falcosidekick: 'outputs/nats.go',
  summary:
    "Publishes falcosidekick's event JSON to `falco.<priority>.<rule>` (or `subjecttemplate`) on one NATS connection kept for the output's lifetime; a batch is published and confirmed with one flush.",
  example: `nats:
  hostport: nats://nats.messaging:4222
  subjecttemplate: "falco.<priority>.<rule>"
  minimumpriority: notice`,
  create: (values, ctx) => new NatsOutput(ctx.name, ctx.type, natsConfig(values, ctx)),
});

export const STAN_SETTINGS = {
  ...NATS_SETTINGS,
  clusterid: setting.string('NATS Streaming cluster id (accepted; not used: see the doc)', ''),
  clientid: setting.string('NATS Streaming client id (accepted; not used: see the doc)', ''),
};

/**
 * falcosidekick's `stan:` section. NATS Streaming (STAN) is deprecated and unmaintained upstream: its
 * configuration is accepted and the alerts are published as plain NATS messages to the same subjects on
 * `stan.hostport` — a NATS server with JetStream keeps them.
 */
export const stanOutput = defineOutput({
  type: 'stan',
  title: 'NATS Streaming (STAN, deprecated)',
  section: 'stan',
  enabledBy: ['hostport'],
  settings: STAN_SETTINGS,
  falcosidekick: 'outputs/stan.go',
  summary:
    "Accepts falcosidekick's `stan:` section. NATS Streaming is deprecated upstream: the alerts are published as core NATS messages (same subjects and body) on `stan.hostport`; capture them with a JetStream stream.",
  example: `stan:
  hostport: nats://nats.messaging:4222
  clusterid: falco
  clientid: falconer`,
  create: (values, ctx) => {
    ctx.warn(
      'NATS Streaming (STAN) is deprecated upstream; the alerts are published as plain NATS messages to the same subjects (use a JetStream stream to keep them), clusterid and clientid are not used',
    );
    return new NatsOutput(ctx.name, ctx.type, natsConfig(values, ctx));
  },
});
