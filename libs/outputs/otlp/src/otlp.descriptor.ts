import {
  defineOutput,
  HTTP_SETTINGS,
  httpOptions,
  setting,
  type CreateContext,
  type SettingValues,
} from '@falconer/outputs-core';
import { otlpLogsOutputInstance, otlpTracesOutputInstance, type OtlpConfig } from './otlp.output';

const COMMON = {
  endpoint: setting.url(
    'OTLP/HTTP URL of the signal, e.g. `http://otel-collector:4318/v1/logs` (enables the output)',
    {
      required: true,
    },
  ),
  protocol: setting.enum(
    '`http/protobuf` or `http/json` (`grpc` is not supported)',
    ['http/protobuf', 'http/json', 'grpc'] as const,
    'http/protobuf',
  ),
  headers: setting.string('Extra headers as OpenTelemetry writes them, `key1=value1,key2=value2`', '', {
    secret: true,
  }),
  timeout: setting.int('Accepted for compatibility: `delivery.timeout` bounds each send', 10_000, { min: 0 }),
  synced: setting.bool('Accepted for compatibility: every send is awaited', false),
  tls: setting.bool('Accepted for compatibility: the endpoint scheme decides (`https://`)', false),
  extraenvvars: setting.map('Accepted for compatibility; not applied (Falconer reads no OTEL_* variables)'),
  ...HTTP_SETTINGS,
};

/** `key1=value1,key2=value2` (OTEL_EXPORTER_OTLP_HEADERS syntax, values URL-decoded). */
export function parseOtlpHeaders(text: string, ctx: Pick<CreateContext, 'error'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) {
      ctx.error('headers', 'expected key=value pairs separated by commas');
      continue;
    }
    out[decodeURIComponent(part.slice(0, at).trim())] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}

function otlpConfig(v: SettingValues<typeof COMMON>, ctx: CreateContext): OtlpConfig {
  if (v.protocol === 'grpc') ctx.error('protocol', 'grpc is not supported; use http/protobuf or http/json');
  if (Object.keys(v.extraenvvars).length > 0) ctx.warn('extraenvvars is not applied');
  const headers = parseOtlpHeaders(v.headers, ctx);
  return {
    url: v.endpoint,
    protocol: v.protocol === 'http/json' ? 'http/json' : 'http/protobuf',
    headers,
    // every header value is treated as a secret, as customheaders are
    http: httpOptions(v, ctx, { secrets: Object.values(headers) }),
  };
}

export const otlpLogsOutput = defineOutput({
  type: 'otlplogs',
  title: 'OpenTelemetry logs (OTLP/HTTP)',
  section: 'otlp',
  subsection: 'logs',
  instanceName: 'otlp-logs',
  enabledBy: ['endpoint'],
  settings: COMMON,
  falcosidekick: 'outputs/otlp_logs.go',
  summary:
    "Exports events as OpenTelemetry log records over OTLP/HTTP (body = the output, falcosidekick's attributes), built and serialised by the OpenTelemetry JS SDK; the events queued together go in one export request.",
  example: `otlp:
  logs:
    endpoint: http://otel-collector:4318/v1/logs
    protocol: http/protobuf
    headers: "authorization=Bearer%20xyz"`,
  create: (v, ctx) => otlpLogsOutputInstance(ctx.name, otlpConfig(v, ctx)),
});

const TRACES = {
  ...COMMON,
  endpoint: setting.url(
    'OTLP/HTTP URL of the signal, e.g. `http://otel-collector:4318/v1/traces` (enables the output)',
    {
      required: true,
    },
  ),
  duration: setting.int('Span length in milliseconds', 1000, { min: 0 }),
};

export const otlpTracesOutput = defineOutput({
  type: 'otlptraces',
  title: 'OpenTelemetry traces (OTLP/HTTP)',
  section: 'otlp',
  subsection: 'traces',
  instanceName: 'otlp-traces',
  enabledBy: ['endpoint'],
  settings: TRACES,
  falcosidekick: 'outputs/otlp_traces.go',
  summary:
    "Exports each event as an OpenTelemetry span over OTLP/HTTP (name = the rule, one trace per pod or container, falcosidekick's attributes, the output as a span event), built and serialised by the OpenTelemetry JS SDK; the events queued together go in one export request.",
  example: `otlp:
  traces:
    endpoint: http://otel-collector:4318/v1/traces
    duration: 1000`,
  create: (v, ctx) => otlpTracesOutputInstance(ctx.name, otlpConfig(v, ctx), v.duration),
});
