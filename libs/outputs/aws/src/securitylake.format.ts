import { LosslessNumber, type FalcoEvent, type Priority } from '@falconer/contracts';
import { parseEventTime } from '@falconer/outputs-core';
import type { SchemaElement } from 'hyparquet-writer';
import { eventJson } from './aws.format';

/**
 * falcosidekick's OCSF Security Finding [2001] (outputs/awssecuritylake.go, `NewOCSFSecurityFinding`),
 * field for field; `time` and `finding.created_time` are epoch milliseconds.
 */
export interface OcsfSecurityFinding {
  activity_id: number;
  activity_name: string;
  category_name: string;
  category_uid: number;
  /** falcosidekick's Parquet column is `classname` (its JSON name is `class_name`). */
  classname: string;
  class_uid: number;
  finding: { created_time: bigint; desc: string; title: string; types: string[]; uid: string };
  message: string;
  metadata: { version: string; product: { vendor_name: string; name: string }; labels: string[] };
  observables: { name: string; type: string; type_id: number; value: string }[];
  raw_data: string;
  severity: string;
  severity_id: number;
  state: string;
  state_id: number;
  status: string;
  time: bigint;
  type_name: string;
  type_uid: number;
}

/** falcosidekick's getAWSSecurityLakeSeverity. */
const SEVERITY: Readonly<Record<Priority, [number, string]>> = {
  Debug: [1, 'Informational'],
  Informational: [1, 'Informational'],
  Notice: [2, 'Low'],
  Warning: [3, 'Medium'],
  Error: [4, 'High'],
  Critical: [5, 'Critical'],
  Alert: [6, 'Fatal'],
  Emergency: [6, 'Fatal'],
};

/**
 * Go's `fmt.Sprintf("%v", f)` of a float64 (`%g` with the shortest digits, exponent form from 1e+06 or
 * below 1e-04): falcosidekick decodes output fields with json.Unmarshal, so numbers are float64 there.
 */
export function goFloatV(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', e = '0'] = n.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) {
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // shortest digits in plain notation (JS switches to exponent form only beyond 1e21 / below 1e-6)
  return String(n);
}

/** falcosidekick's getObservables: the hostname, then each string or number output field (numbers as float64). */
function observables(event: FalcoEvent): OcsfSecurityFinding['observables'] {
  const out: OcsfSecurityFinding['observables'] = [];
  const other = (name: string, value: string) => ({ name, type: 'Other', type_id: 0, value });
  if (event.hostname !== '') out.push(other('hostname', event.hostname));
  // Go ranges over a map in random order; Falconer sorts the field names so that files are reproducible
  for (const name of Object.keys(event.output_fields).sort()) {
    const v = event.output_fields[name];
    if (typeof v === 'string') out.push(other(name, v));
    else if (typeof v === 'number') out.push(other(name, goFloatV(v)));
    else if (v instanceof LosslessNumber) out.push(other(name, goFloatV(v.valueOf())));
  }
  return out;
}

/** The OCSF record falcosidekick writes for one event. */
export function ocsfFinding(event: FalcoEvent): OcsfSecurityFinding {
  const t = parseEventTime(event.time);
  const ms = t === undefined ? 0n : t.epochNs / 1_000_000n;
  const [severity_id, severity] = SEVERITY[event.priority] ?? [0, 'Uknown'];
  return {
    activity_id: 1,
    activity_name: 'Generate',
    category_name: 'Findings',
    category_uid: 2,
    classname: 'Security Finding',
    class_uid: 2001,
    finding: {
      created_time: ms,
      desc: event.output,
      title: event.rule,
      types: [event.source],
      uid: event.uuid,
    },
    message: event.rule,
    metadata: {
      version: '0.1.0',
      product: { vendor_name: 'Falcosecurity', name: 'Falco' },
      labels: [...(event.tags ?? [])],
    },
    observables: observables(event),
    raw_data: eventJson(event),
    severity,
    severity_id,
    state: 'New',
    state_id: 1,
    status: event.priority,
    time: ms,
    type_name: 'Security Finding: Generate',
    type_uid: 200101,
  };
}

const str = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'REQUIRED',
});
const i32 = (name: string): SchemaElement => ({ name, type: 'INT32', repetition_type: 'REQUIRED' });
const i64 = (name: string): SchemaElement => ({ name, type: 'INT64', repetition_type: 'REQUIRED' });
const group = (name: string, children: number): SchemaElement => ({
  name,
  repetition_type: 'REQUIRED',
  num_children: children,
});
/** A Parquet LIST in its standard three-level form (the element's schema follows). */
const list = (name: string): SchemaElement[] => [
  { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
];

/**
 * falcosidekick's Parquet schema of OcsfSecurityFinding (its parquet-go struct tags): the same columns,
 * names (`classname`), types and order. The three lists (`finding.types`, `metadata.labels`,
 * `observables`) are standard LISTs; parquet-go writes them as legacy repeated fields — readers (Athena,
 * Glue, Spark, pyarrow) see the same arrays either way.
 */
export const OCSF_PARQUET_SCHEMA: readonly SchemaElement[] = [
  { name: 'Parquet_go_root', num_children: 19 },
  i32('activity_id'),
  str('activity_name'),
  str('category_name'),
  i32('category_uid'),
  str('classname'),
  i32('class_uid'),
  group('finding', 5),
  i64('created_time'),
  str('desc'),
  str('title'),
  ...list('types'),
  str('element'),
  str('uid'),
  str('message'),
  group('metadata', 3),
  str('version'),
  group('product', 2),
  str('vendor_name'),
  str('name'),
  ...list('labels'),
  str('element'),
  ...list('observables'),
  group('element', 4),
  str('name'),
  str('type'),
  i32('type_id'),
  str('value'),
  str('raw_data'),
  str('severity'),
  i32('severity_id'),
  str('state'),
  i32('state_id'),
  str('status'),
  i64('time'),
  str('type_name'),
  i32('type_uid'),
];

const COLUMNS = [
  'activity_id',
  'activity_name',
  'category_name',
  'category_uid',
  'classname',
  'class_uid',
  'finding',
  'message',
  'metadata',
  'observables',
  'raw_data',
  'severity',
  'severity_id',
  'state',
  'state_id',
  'status',
  'time',
  'type_name',
  'type_uid',
] as const satisfies readonly (keyof OcsfSecurityFinding)[];

/** One Parquet file (SNAPPY, as parquet-go's default) holding the OCSF record of each event. */
export async function securityLakeParquet(events: readonly FalcoEvent[]): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const records = events.map(ocsfFinding);
  const buf = parquetWriteBuffer({
    columnData: COLUMNS.map((name) => ({ name, data: records.map((r) => r[name]) })),
    schema: [...OCSF_PARQUET_SCHEMA],
    codec: 'SNAPPY',
    createdBy: 'Falconer',
  });
  return new Uint8Array(buf);
}

/**
 * falcosidekick's object key, `<prefix>/region=<region>/accountId=<accountid>/eventDay=<YYYYMMDD>/<uuid>.parquet`
 * (the upload day in UTC), without the leading `/` of its format string.
 */
export function securityLakeKey(
  o: { prefix: string; region: string; accountid: string },
  nowMs: number,
  uid: string,
): string {
  const day = new Date(nowMs).toISOString().slice(0, 10).replace(/-/g, '');
  const prefix = o.prefix.replace(/^\/+|\/+$/g, '');
  return `${prefix}/region=${o.region}/accountId=${o.accountid}/eventDay=${day}/${uid}.parquet`;
}
