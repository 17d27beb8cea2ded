import type { FalconerConfig, OutputInstanceConfig } from '@falconer/config';
import {
  createOutput,
  type ClientTls,
  type OutputContext,
  type OutputDescriptor,
} from '@falconer/outputs-core';
import { compileFilter } from '@falconer/routing';
import { join } from 'node:path';
import type { BuildResult, OutputInstance } from './output-set';
import { OUTPUTS } from './outputs';

export { OUTPUTS };

const BY_TYPE: ReadonlyMap<string, OutputDescriptor> = new Map(OUTPUTS.map((d) => [d.type, d]));

/** The descriptor of a type, if this build has it. */
export function descriptorOf(type: string): OutputDescriptor | undefined {
  return BY_TYPE.get(type);
}

/** The process-wide TLS settings of a loaded config, in the shape outputs take. */
export function clientTls(
  config: Pick<FalconerConfig, 'tlsclient' | 'mutualtlsclient'> &
    Partial<Pick<FalconerConfig, 'mutualtlsfilespath'>>,
): ClientTls {
  const m = config.mutualtlsclient;
  const dir = config.mutualtlsfilespath ?? '';
  // falcosidekick: mutualtlsclient.* when given, else client.crt/client.key/ca.crt in mutualtlsfilespath
  const files =
    m.certfile !== '' || m.keyfile !== '' || dir === ''
      ? m
      : {
          certfile: join(dir, 'client.crt'),
          keyfile: join(dir, 'client.key'),
          cacertfile: join(dir, 'ca.crt'),
        };
  return {
    ...(config.tlsclient.cacertfile !== '' ? { cacertfile: config.tlsclient.cacertfile } : {}),
    ...(files.certfile !== '' || files.keyfile !== ''
      ? {
          mutualtls: {
            certfile: files.certfile,
            keyfile: files.keyfile,
            ...(files.cacertfile !== '' ? { cacertfile: files.cacertfile } : {}),
          },
        }
      : {}),
  };
}

export interface BuildOutputsResult extends BuildResult {
  /** Non-fatal findings (unknown keys, deprecations): logged once at start. */
  warnings: string[];
}

/**
 * Builds every configured output instance with its compiled filter. Never throws on a bad entry:
 * every problem (unknown type, bad setting, bad filter, duplicate name) is collected in `errors`, and
 * the caller refuses to start when there are any. Instances are returned in configuration order.
 */
export function buildOutputs(
  configs: readonly OutputInstanceConfig[],
  ctx: OutputContext = {},
): BuildOutputsResult {
  const instances: OutputInstance[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const cfg of configs) {
    const before = errors.length;
    const prev = seen.get(cfg.name);
    if (prev !== undefined) errors.push(`${cfg.path}.name: "${cfg.name}" is already used by ${prev}`);
    else seen.set(cfg.name, cfg.path);
    const d = BY_TYPE.get(cfg.type);
    if (d === undefined) {
      errors.push(
        `${cfg.path}.type: unknown output type "${cfg.type}" (expected ${[...BY_TYPE.keys()].sort().join('|')})`,
      );
      continue;
    }
    const built = createOutput(d, cfg, ctx);
    errors.push(...built.errors);
    warnings.push(...built.warnings);
    const output = built.output;
    const { filter, errors: filterErrors } = compileFilter(cfg.filter, `${cfg.path}.filter`);
    errors.push(...filterErrors);
    if (errors.length > before) {
      void output.close?.();
      continue;
    }
    instances.push({
      name: cfg.name,
      type: cfg.type,
      output,
      matches: filter.matches,
      filterText: filter.describe,
      delivery: cfg.delivery,
      ...(cfg.aggregate ? { aggregate: cfg.aggregate } : {}),
    });
  }
  return { instances, errors, warnings };
}
