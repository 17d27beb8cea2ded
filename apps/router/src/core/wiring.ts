import type { FalconerConfig } from '@falconer/config';
import type { OutputInstance } from '@falconer/outputs-registry';
import type { DropFilter } from '../ingest/drop-filter';
import { dropNothing } from '../ingest/drop-filter';

/** Output instances and the drop filter for this configuration, or every configuration problem. */
export function buildRouting(config: FalconerConfig, _version: string): { outputs: OutputInstance[]; drop: DropFilter; errors: string[] } {
  const errors = config.outputs.map((o) => `${o.path}: output type "${o.type}" is not available in this build`);
  return { outputs: [], drop: dropNothing, errors };
}
