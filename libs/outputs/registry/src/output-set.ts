import type { FalcoEvent } from '@falconer/contracts';
import type { Output } from '@falconer/outputs-core';

/** One enabled output instance with its compiled routing filter and raw delivery settings. */
export interface OutputInstance {
  readonly name: string;
  readonly type: string;
  readonly output: Output;
  /** Compiled once at start (libs/routing). */
  matches(event: FalcoEvent): boolean;
  /** The filter in words, for the API and dashboard. */
  readonly filterText: string;
  /** `delivery:` overrides as configured (validated by libs/delivery). */
  readonly delivery: Record<string, unknown>;
  readonly aggregate?: Record<string, unknown>;
}

export interface BuildResult {
  instances: OutputInstance[];
  /** Every configuration problem found, `path.key: message`. */
  errors: string[];
}
