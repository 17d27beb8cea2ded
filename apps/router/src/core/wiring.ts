import type { Logger } from 'pino';
import type { FalconerConfig } from '@falconer/config';
import { deliveryProblems } from '@falconer/delivery';
import { enrichmentErrors } from '@falconer/falco';
import { buildOutputs, clientTls, type OutputInstance } from '@falconer/outputs-registry';
import { compileDrop, createEventRouter, type EventRouter } from '@falconer/routing';

/**
 * Output instances (each with its compiled filter) and the event router (drop filter, routes) for this configuration,
 * or every configuration problem at once: outputs' settings and filters, the drop filter, enrichment
 * templates, and each output's delivery and aggregation settings — all checked before anything starts.
 */
export function buildRouting(
  config: FalconerConfig,
  version: string,
  log?: Logger,
): { outputs: OutputInstance[]; router: EventRouter; errors: string[]; warnings: string[] } {
  const built = buildOutputs(config.outputs, {
    version,
    tls: clientTls(config),
    customFieldKeys: [...Object.keys(config.customfields), ...Object.keys(config.templatedfields)],
    notice: (n) => log?.warn({ output: n.output, type: n.type, notice: n.event, ...n.data }, n.message),
  });
  const { drop, errors: dropErrors } = compileDrop(config.drop);
  const errors = [
    ...built.errors,
    ...dropErrors,
    ...enrichmentErrors(config),
    ...deliveryProblems(config.outputs),
  ];
  return {
    outputs: built.instances,
    router: createEventRouter(built.instances, drop),
    errors,
    warnings: built.warnings,
  };
}
