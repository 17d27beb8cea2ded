import type { FalcoEvent } from '@falconer/contracts';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { SpanKind, type Context } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor, type SdkLogRecord } from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { HTTP_BATCH, RequestOutput, type HttpSenderOptions } from '@falconer/outputs-core';
import { fnv128a, hrTime, logAttributes, spanAttributes, traceIdOf } from './otlp.format';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface OtlpConfig {
  url: string;
  protocol: OtlpProtocol;
  headers: Readonly<Record<string, string>>;
  http: HttpSenderOptions;
}

/** falcosidekick's resource: service `falco`, version `v0.1.0`. */
const RESOURCE = resourceFromAttributes({ 'service.name': 'falco', 'service.version': 'v0.1.0' });

const CONTENT_TYPE: Readonly<Record<OtlpProtocol, string>> = {
  'http/protobuf': 'application/x-protobuf',
  'http/json': 'application/json',
};

/** Keeps what the SDK finishes, for this send only: the output exports it itself, once, through HttpSender. */
class Collect<T> {
  items: T[] = [];
  take(): T[] {
    const out = this.items;
    this.items = [];
    return out;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

class LogCollector extends Collect<SdkLogRecord> implements LogRecordProcessor {
  onEmit(record: SdkLogRecord): void {
    this.items.push(record);
  }
}

class SpanCollector extends Collect<ReadableSpan> implements SpanProcessor {
  onStart(_span: Span, _ctx: Context): void {
    // nothing to do before the span ends
  }
  onEnd(span: ReadableSpan): void {
    this.items.push(span);
  }
}

const body = (bytes: Uint8Array | undefined): Buffer => Buffer.from(bytes ?? new Uint8Array());

/**
 * OTLP logs: one log record per event, as falcosidekick's slog bridge writes it (body = the output,
 * INFO, scope `falco`, falcosidekick's attributes), stamped with the event's own time; a batch is one
 * export request.
 */
export function otlpLogsOutputInstance(name: string, config: OtlpConfig): RequestOutput {
  const collector = new LogCollector();
  const logger = new LoggerProvider({ resource: RESOURCE, processors: [collector] }).getLogger('falco');
  const serializer = config.protocol === 'http/json' ? JsonLogsSerializer : ProtobufLogsSerializer;
  return new RequestOutput(name, {
    type: 'otlplogs',
    http: config.http,
    batch: HTTP_BATCH,
    request: (events) => {
      for (const e of events)
        logger.emit({
          body: e.output,
          severityNumber: SeverityNumber.INFO,
          severityText: 'INFO',
          timestamp: hrTime(e),
          // the same record on every attempt: a retried export repeats it rather than adding another
          observedTimestamp: hrTime(e),
          attributes: logAttributes(e),
        });
      return {
        method: 'POST',
        url: config.url,
        headers: { ...config.headers, 'Content-Type': CONTENT_TYPE[config.protocol] },
        body: body(serializer.serializeRequest(collector.take())),
      };
    },
  });
}

/**
 * OTLP traces: one span per event, as falcosidekick makes it (name = the rule, SERVER, from the event
 * time for `duration` ms, trace id per pod/container, falcosidekick's attributes, the output as a span
 * event); a batch is one export request.
 */
export function otlpTracesOutputInstance(
  name: string,
  config: OtlpConfig,
  durationMs: number,
): RequestOutput {
  const collector = new SpanCollector();
  let traceId = '';
  let spanId = '';
  const tracer = new BasicTracerProvider({
    resource: RESOURCE,
    spanProcessors: [collector],
    // falcosidekick's trace id is derived from the event; the span id too (from its uuid), so that a
    // retried export repeats the same span instead of adding a random new one
    idGenerator: { generateTraceId: () => traceId, generateSpanId: () => spanId },
  }).getTracer('falco-event');
  const serializer = config.protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
  const span = (e: FalcoEvent): void => {
    traceId = traceIdOf(e);
    spanId = fnv128a(e.uuid).slice(0, 16);
    const s = tracer.startSpan(e.rule, {
      kind: SpanKind.SERVER,
      startTime: hrTime(e),
      attributes: spanAttributes(e),
    });
    s.addEvent(e.output, hrTime(e));
    s.end(hrTime(e, durationMs));
  };
  return new RequestOutput(name, {
    type: 'otlptraces',
    http: config.http,
    batch: HTTP_BATCH,
    request: (events) => {
      for (const e of events) span(e);
      return {
        method: 'POST',
        url: config.url,
        headers: { ...config.headers, 'Content-Type': CONTENT_TYPE[config.protocol] },
        body: body(serializer.serializeRequest(collector.take())),
      };
    },
  });
}
