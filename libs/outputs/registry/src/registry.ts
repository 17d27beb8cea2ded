import type { FalcoEvent } from '@falconer/contracts';
import type { FalconerConfig, OutputInstanceConfig } from '@falconer/config';
import type { ClientTls, OutputContext, OutputFactory } from '@falconer/outputs-core';
import { createElasticsearchOutput } from '@falconer/outputs-elasticsearch';
import { createInfluxdbOutput } from '@falconer/outputs-influxdb';
import { createSlackOutput } from '@falconer/outputs-slack';
import { createWebhookOutput } from '@falconer/outputs-webhook';
import { compileDrop, compileFilter } from '@falconer/routing';
import { asInt } from '@falconer/util';
import type { BuildResult, OutputInstance } from './output-set';

/** The output types this build knows, by `type`. */
export const OUTPUT_FACTORIES: Readonly<Record<string, OutputFactory>> = {
  slack: createSlackOutput,
  elasticsearch: createElasticsearchOutput,
  influxdb: createInfluxdbOutput,
  webhook: createWebhookOutput,
  // falcosidekick's `talon:` section speaks the webhook body.
  talon: createWebhookOutput,
};

export interface BuildContext extends OutputContext {
  /** More output types (e.g. `webui` from libs/outputs/webui), merged over the built-in ones. */
  factories?: Readonly<Record<string, OutputFactory>>;
}

/** The process-wide TLS settings of a loaded config, in the shape outputs take. */
export function clientTls(config: Pick<FalconerConfig, 'tlsclient' | 'mutualtlsclient'>): ClientTls {
  const m = config.mutualtlsclient;
  return {
    ...(config.tlsclient.cacertfile !== '' ? { cacertfile: config.tlsclient.cacertfile } : {}),
    ...(m.certfile !== '' || m.keyfile !== ''
      ? {
          mutualtls: {
            certfile: m.certfile,
            keyfile: m.keyfile,
            ...(m.cacertfile !== '' ? { cacertfile: m.cacertfile } : {}),
          },
        }
      : {}),
  };
}

/**
 * Builds every configured output instance with its compiled filter. Never throws on a bad entry:
 * every problem (unknown type, bad setting, bad filter, duplicate name) is collected in `errors`, and
 * the caller refuses to start when there are any. Instances are returned in configuration order.
 */
export function buildOutputs(configs: readonly OutputInstanceConfig[], ctx: BuildContext = {}): BuildResult {
  const factories: Record<string, OutputFactory> = { ...OUTPUT_FACTORIES, ...ctx.factories };
  const instances: OutputInstance[] = [];
  const errors: string[] = [];
  const seen = new Map<string, string>();
  for (const cfg of configs) {
    const before = errors.length;
    const prev = seen.get(cfg.name);
    if (prev !== undefined) errors.push(`${cfg.path}.name: "${cfg.name}" is already used by ${prev}`);
    else seen.set(cfg.name, cfg.path);
    const factory = Object.prototype.hasOwnProperty.call(factories, cfg.type)
      ? factories[cfg.type]
      : undefined;
    if (factory === undefined) {
      errors.push(
        `${cfg.path}.type: unknown output type "${cfg.type}" (expected ${Object.keys(factories).sort().join('|')})`,
      );
      continue;
    }
    const built = factory({ name: cfg.name, type: cfg.type, settings: cfg.settings, path: cfg.path }, ctx);
    errors.push(...built.errors);
    const { filter, errors: filterErrors } = compileFilter(cfg.filter, `${cfg.path}.filter`);
    errors.push(...filterErrors);
    const delivery = { ...cfg.delivery };
    const mcr = cfg.settings['maxconcurrentrequests'];
    if (mcr !== undefined && mcr !== null && mcr !== '' && delivery['concurrency'] === undefined) {
      try {
        delivery['concurrency'] = asInt(mcr, 1, 1000);
      } catch (err) {
        errors.push(`${cfg.path}.maxconcurrentrequests: ${(err as Error).message}`);
      }
    }
    if (errors.length > before) {
      void built.output.close?.();
      continue;
    }
    instances.push({
      name: cfg.name,
      type: cfg.type,
      output: built.output,
      matches: filter.matches,
      filterText: filter.describe,
      delivery,
      ...(cfg.aggregate ? { aggregate: cfg.aggregate } : {}),
    });
  }
  return { instances, errors };
}

/** The global `drop:` filter: `drops(event)` true = discard before recording; never the test event. */
export function buildDrop(spec: FalconerConfig['drop']): {
  drops: (event: FalcoEvent) => boolean;
  describe: string;
  errors: readonly string[];
} {
  const { drop, errors } = compileDrop(spec, 'drop');
  return { drops: drop.drops, describe: drop.describe, errors };
}

/** The names of the instances an event goes to (the router's fan-out), in configuration order. */
export function route(instances: readonly OutputInstance[], event: FalcoEvent): string[] {
  const out: string[] = [];
  for (const i of instances) if (i.matches(event)) out.push(i.name);
  return out;
}
