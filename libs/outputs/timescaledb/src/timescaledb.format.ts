import type { FalcoEvent } from '@falconer/contracts';

/** One row as falcosidekick's newTimescaleDBPayload builds it: column → value (null for SQL NULL). */
export type Row = ReadonlyMap<string, string | null>;

/** falcosidekick stores the string `null` (any case) as SQL NULL. */
const nullable = (v: string): string | null => (v.toLowerCase() === 'null' ? null : v);

/**
 * The row for one event (outputs/timescaledb.go): time, rule, priority, source, output, tags (joined with
 * commas, when any), hostname (when set), and each custom or templated field that is a string, with
 * double quotes removed — as columns of the same name.
 */
export function timescaleRow(event: FalcoEvent, customFieldKeys: readonly string[]): Row {
  const row = new Map<string, string | null>([
    ['time', event.time],
    ['rule', nullable(event.rule)],
    ['priority', nullable(event.priority)],
    ['source', nullable(event.source)],
    ['output', nullable(event.output)],
  ]);
  if (event.tags.length > 0) row.set('tags', nullable(event.tags.join(',')));
  if (event.hostname !== '') row.set('hostname', nullable(event.hostname));
  for (const k of customFieldKeys) {
    const v = event.output_fields[k];
    if (typeof v === 'string') row.set(k, nullable(v.replace(/"/g, '')));
  }
  return row;
}

/** A column name as PostgreSQL reads it unquoted (folded to lower case), quoted so any key is safe. */
export const column = (name: string): string => `"${name.toLowerCase().replace(/"/g, '""')}"`;

/** `schema.table` or `table`, unquoted as falcosidekick writes it: checked at start. */
export const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/**
 * Multi-row INSERTs for a batch: consecutive rows with the same columns share one statement.
 */
export function insertStatements(
  table: string,
  rows: readonly Row[],
): { text: string; values: (string | null)[] }[] {
  const out: { text: string; values: (string | null)[] }[] = [];
  let i = 0;
  while (i < rows.length) {
    const cols = [...(rows[i] as Row).keys()];
    const key = cols.join('\0');
    const values: (string | null)[] = [];
    const tuples: string[] = [];
    for (; i < rows.length && [...(rows[i] as Row).keys()].join('\0') === key; i++) {
      const base = values.length;
      tuples.push(`(${cols.map((_, c) => `$${base + c + 1}`).join(',')})`);
      values.push(...(rows[i] as Row).values());
    }
    out.push({
      text: `INSERT INTO ${table} (${cols.map(column).join(',')}) VALUES ${tuples.join(',')}`,
      values,
    });
  }
  return out;
}
