import { LosslessNumber, type FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { epochIn } from '@falconer/outputs-core';

/** The object, message or record body: falcosidekick's event JSON (`json.Marshal` of its payload). */
export function eventJson(event: FalcoEvent): string {
  return serializeEvent(event);
}

export interface SnsAttribute {
  DataType: 'String' | 'Number';
  StringValue: string;
}

/**
 * falcosidekick's SNS publish: the raw event JSON (`rawjson`), or the `output` line with the event's
 * priority, rule, source, tags, hostname and each string or number output field as message attributes
 * (`proc.aname[2]` becomes `proc.aname.2`; other field types are left out).
 */
export function snsMessage(
  event: FalcoEvent,
  rawjson: boolean,
): { Message: string; MessageAttributes?: Record<string, SnsAttribute> } {
  if (rawjson) return { Message: eventJson(event) };
  const attrs: Record<string, SnsAttribute> = {
    priority: { DataType: 'String', StringValue: event.priority },
    rule: { DataType: 'String', StringValue: event.rule },
    source: { DataType: 'String', StringValue: event.source },
  };
  if (event.tags.length > 0) attrs['tags'] = { DataType: 'String', StringValue: event.tags.join(',') };
  if (event.hostname !== '') attrs['hostname'] = { DataType: 'String', StringValue: event.hostname };
  for (const [key, value] of Object.entries(event.output_fields)) {
    const name = key.replace(/\]/g, '').replace(/\[/g, '.');
    if (typeof value === 'string') attrs[name] = { DataType: 'String', StringValue: value };
    else if (typeof value === 'number' || value instanceof LosslessNumber)
      attrs[name] = { DataType: 'Number', StringValue: String(value) };
  }
  return { Message: event.output, MessageAttributes: attrs };
}

/** A CloudWatch Logs event: the event JSON, stamped with the event's own time in milliseconds. */
export function cloudWatchLogEvent(event: FalcoEvent): { message: string; timestamp: number } {
  return { message: eventJson(event), timestamp: Number(epochIn(event.time, 'ms') ?? Date.now()) };
}
