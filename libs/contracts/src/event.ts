import type { JsonScalar } from './lossless-json';

/** Falco priorities, highest first. */
export const PRIORITIES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Debug = 1 … Emergency = 8, as falcosidekick orders them. */
export const PRIORITY_LEVEL: Readonly<Record<Priority, number>> = {
  Debug: 1,
  Informational: 2,
  Notice: 3,
  Warning: 4,
  Error: 5,
  Critical: 6,
  Alert: 7,
  Emergency: 8,
};

export type FieldScalar = JsonScalar;
export type FieldValue = FieldScalar | readonly FieldScalar[];
/** Output fields; objects have a null prototype. */
export type OutputFields = Readonly<Record<string, FieldValue>>;

/**
 * An accepted, enriched Falco event. The JSON form (libs/falco `serializeEvent`) has the keys in the
 * order `uuid, output, priority, rule, time, output_fields, source, tags, hostname`.
 */
export interface FalcoEvent {
  readonly uuid: string;
  readonly output: string;
  readonly priority: Priority;
  readonly rule: string;
  /** RFC 3339 as Go prints it (fraction without trailing zeros), offset as sent. */
  readonly time: string;
  readonly output_fields: OutputFields;
  readonly source: string;
  /** De-duplicated and sorted. */
  readonly tags: readonly string[];
  /** Empty when the sender gave none. */
  readonly hostname: string;
  /**
   * Falconer's mark, never sent to an output: ids of the silences that kept this event from at least one
   * output (docs/silences.md). Present in history, the live stream and the detail; absent when none did.
   */
  readonly silenced?: readonly string[];
}
