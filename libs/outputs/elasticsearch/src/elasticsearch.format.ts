import type { FalcoEvent, FieldValue } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { utcDate } from '@falconer/outputs-core';
import type { IndexSuffix } from './elasticsearch.config';

const p2 = (n: number): string => String(n).padStart(2, '0');

/**
 * `<index>-YYYY.MM.DD` (daily), `-YYYY.MM` (monthly), `-YYYY` (annually) or bare — from the event's own
 * time in UTC (deliberate difference: falcosidekick uses the process clock).
 */
export function indexName(index: string, suffix: IndexSuffix, time: string): string {
  if (suffix === 'none') return index;
  const d = utcDate(time);
  const y = String(d.year).padStart(4, '0');
  switch (suffix) {
    case 'daily':
      return `${index}-${y}.${p2(d.month)}.${p2(d.day)}`;
    case 'monthly':
      return `${index}-${y}.${p2(d.month)}`;
    case 'annually':
      return `${index}-${y}`;
  }
}

/** Output field keys with `.` → `_` (flattenfields). */
export function flattenFields(event: FalcoEvent): FalcoEvent {
  const out = Object.create(null) as Record<string, FieldValue>;
  for (const k of Object.keys(event.output_fields))
    out[k.replace(/\./g, '_')] = event.output_fields[k] as FieldValue;
  return { ...event, output_fields: out };
}

/** The document: the event JSON plus `"@timestamp"`, the event's time string verbatim. */
export function formatDocument(event: FalcoEvent, flatten: boolean): string {
  return serializeEvent(flatten ? flattenFields(event) : event, { '@timestamp': event.time });
}

/** One `_bulk` entry: the action line and the document line, each ending in `\n`. */
export function formatBulkEntry(index: string, doc: string): string {
  return `{"create":{"_index":${JSON.stringify(index)}}}\n${doc}\n`;
}

/** The index template `createindextemplate` installs. */
export function indexTemplate(index: string, suffix: IndexSuffix, shards: number, replicas: number): string {
  const keyword = { type: 'keyword' };
  return JSON.stringify({
    index_patterns: suffix === 'none' ? [index] : [`${index}-*`],
    template: {
      settings: { number_of_shards: shards, number_of_replicas: replicas },
      mappings: {
        properties: {
          '@timestamp': { type: 'date_nanos' },
          time: { type: 'date_nanos' },
          priority: keyword,
          rule: keyword,
          source: keyword,
          hostname: keyword,
          tags: keyword,
          uuid: keyword,
          output: { type: 'text' },
        },
      },
    },
  });
}

/**
 * The output field a mapping conflict names (`document_parsing_exception` in Elasticsearch 8,
 * `mapper_parsing_exception` before): `failed to parse field [output_fields.fd.num] …` → `fd.num`.
 */
export function conflictingField(errorText: string): string | undefined {
  if (!/document_parsing_exception|mapper_parsing_exception/.test(errorText)) return undefined;
  const m = /(?:failed to parse field|object mapping for|field) \[output_fields\.([^\]]+)\]/.exec(errorText);
  return m?.[1];
}

/** The event without the named output field (or the fields below it, for an object/value clash). */
export function dropField(event: FalcoEvent, field: string, flatten: boolean): FalcoEvent | undefined {
  const out = Object.create(null) as Record<string, FieldValue>;
  let dropped = false;
  for (const k of Object.keys(event.output_fields)) {
    const key = flatten ? k.replace(/\./g, '_') : k;
    if (key === field || key.startsWith(`${field}.`)) dropped = true;
    else out[k] = event.output_fields[k] as FieldValue;
  }
  return dropped ? { ...event, output_fields: out } : undefined;
}
