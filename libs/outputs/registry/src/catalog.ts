import {
  loadConfig,
  redactConfig,
  type FalconerConfig,
  type LoadedConfig,
  type LoadOptions,
  type OutputCatalog,
} from '@falconer/config';
import { envName, sectionPath, type OutputDescriptor } from '@falconer/outputs-core';
import { FALCOSIDEKICK_OUTPUTS, type FalcosidekickOutput } from './falcosidekick-outputs';
import { OUTPUTS } from './outputs';

/** The key path of a schema key relative to the descriptor's section (`s3.bucket`, `region`). */
function relativePath(d: OutputDescriptor, key: string): string {
  return sectionPath(d, key).slice((d.section ?? d.type).length + 1);
}

/** The descriptor that implements a falcosidekick output, if this build has one. */
export function implementation(o: FalcosidekickOutput): OutputDescriptor | undefined {
  return OUTPUTS.find(
    (d) => d.section === o.section && d.enabledBy.some((k) => relativePath(d, k) === o.enabledBy),
  );
}

function buildCatalog(): OutputCatalog {
  const withSection = OUTPUTS.filter(
    (d): d is OutputDescriptor & { section: string } => d.section !== undefined,
  );
  const sharing = new Map<string, number>();
  for (const d of withSection) sharing.set(d.section, (sharing.get(d.section) ?? 0) + 1);
  const secrets = new Map(
    OUTPUTS.map((d) => [d.type, new Set(Object.keys(d.settings).filter((k) => d.settings[k]?.secret))]),
  );
  return {
    sections: withSection.map((d) => ({
      type: d.type,
      section: d.section,
      instanceName: d.instanceName ?? d.subsection ?? d.section,
      enabledBy: d.enabledBy,
      keys: Object.keys(d.settings).map((key) => ({
        key,
        path: relativePath(d, key),
        env: envName(d, key),
        bool: d.settings[key]?.kind === 'bool',
      })),
      ownsSection: sharing.get(d.section) === 1 && d.subsection === undefined,
    })),
    unsupported: FALCOSIDEKICK_OUTPUTS.filter((o) => implementation(o) === undefined).map((o) => ({
      section: o.section,
      enabledBy: o.enabledBy,
      env: `${o.section}_${o.enabledBy}`.replace(/\./g, '_').toUpperCase(),
    })),
    secretKeys: (type) => secrets.get(type) ?? new Set(),
  };
}

/** What libs/config must know about this build's outputs. */
export const OUTPUT_CATALOG: OutputCatalog = buildCatalog();

/** Loads the router's configuration (file + environment) with this build's outputs. */
export function loadRouterConfig(options: Omit<LoadOptions, 'catalog'> = {}): LoadedConfig {
  return loadConfig({ ...options, catalog: OUTPUT_CATALOG });
}

/** The configuration with every secret hidden: Falconer's own, each output's declared ones, all header values. */
export function redactRouterConfig(config: FalconerConfig): unknown {
  return redactConfig(config, OUTPUT_CATALOG);
}
