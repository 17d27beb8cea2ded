import { asBool } from '@falconer/util';
import type { OutputInstanceConfig } from './config.types';
import { getPath, isTree, nonEmpty, type Collector, type Tree } from './config-tree';

/** One output type as the loader sees it (built from its descriptor by libs/outputs/registry). */
export interface OutputSectionInfo {
  type: string;
  /** Top-level section of a falcosidekick-style file. */
  section: string;
  /** Instance name when enabled from the section. */
  instanceName: string;
  /** Schema keys whose non-empty value enables the section. */
  enabledBy: readonly string[];
  /**
   * Every schema key: where it is in the section (dotted, relative to it), its environment variable, and
   * whether it is a bool (an enabling bool enables only when true: `POLICYREPORT_ENABLED=false` does not).
   */
  keys: readonly { key: string; path: string; env: string; bool?: boolean }[];
  /** The type owns its section alone: unknown keys are passed on (and warned about by the registry). */
  ownsSection: boolean;
}

/** What the loader must know about outputs; the registry provides it, libs/config lists none itself. */
export interface OutputCatalog {
  sections: readonly OutputSectionInfo[];
  /** falcosidekick outputs Falconer does not have: accepted, and warned about when enabled. */
  unsupported: readonly { section: string; enabledBy: string; env: string }[];
  /** The secret schema keys of a type (redaction). */
  secretKeys(type: string): ReadonlySet<string>;
}

/** No outputs known (libs/config's own tests); the router passes the registry's catalog. */
export const EMPTY_CATALOG: OutputCatalog = { sections: [], unsupported: [], secretKeys: () => new Set() };

/**
 * Sections read both by Falconer itself and by an output: `redis.url` is Falconer's history and queue
 * store, while `redis.address` & co. are falcosidekick's Redis output. The own keys are not passed to the
 * output; output keys without the key that enables the output are refused (the file says neither clearly).
 */
const SHARED_SECTIONS: Readonly<Record<string, { own: readonly string[]; hint: string }>> = {
  redis: {
    own: ['url', 'cluster', 'spool'],
    hint: "Falconer's own history and queues use redis.url (redis://[user:password@]host:port[/db]) only. Put the credentials and database in redis.url, or set redis.address to also write the alerts to a Redis list or hash",
  },
};

/**
 * Whether an enabling key's value turns its output on: any non-empty value, except that a bool key
 * (`policyreport.enabled`) must be true — `false` from YAML or the environment leaves the output off. A value
 * that is not a bool at all enables, so that the output's own validation reports it.
 */
function enables(info: OutputSectionInfo, key: string, v: unknown): boolean {
  if (!nonEmpty(v)) return false;
  if (info.keys.find((x) => x.key === key)?.bool !== true) return true;
  try {
    return asBool(v);
  } catch {
    return true;
  }
}

/** Keys of an output section read by routing (`filter`, `minimumpriority`) and delivery, not by the output. */
const SPECIAL_KEYS = new Set([
  'name',
  'type',
  'filter',
  'delivery',
  'aggregate',
  'minimumpriority',
  'maxconcurrentrequests',
]);

function outputInstance(
  name: string,
  type: string,
  section: Tree,
  path: string,
  c: Collector,
  /** A falcosidekick section: `name`/`type` are its own settings (`gcp.cloudfunctions.name`). */
  fromSection = false,
): OutputInstanceConfig {
  const settings: Tree = {};
  for (const [k, v] of Object.entries(section))
    if (!SPECIAL_KEYS.has(k) || (fromSection && (k === 'name' || k === 'type'))) settings[k] = v;
  const filter: Tree = isTree(section['filter']) ? { ...section['filter'] } : {};
  if (section['filter'] !== undefined && !isTree(section['filter']))
    c.errors.push(`${path}.filter: expected a map`);
  if (section['minimumpriority'] !== undefined && section['minimumpriority'] !== '')
    filter['minimumpriority'] = section['minimumpriority'];
  const delivery: Tree = isTree(section['delivery']) ? { ...section['delivery'] } : {};
  // falcosidekick's per-output `maxconcurrentrequests` is the delivery layer's concurrency (it bounds it)
  const mcr = section['maxconcurrentrequests'];
  if (mcr !== undefined && mcr !== null && mcr !== '' && delivery['concurrency'] === undefined)
    delivery['maxconcurrentrequests'] = mcr;
  const out: OutputInstanceConfig = { name, type, settings, filter, delivery, path };
  if (isTree(section['aggregate'])) out.aggregate = section['aggregate'];
  return out;
}

/**
 * The output instances of a configuration: falcosidekick-style sections enabled by their keys, then the
 * `outputs:` list. Unsupported falcosidekick sections that are enabled and unknown top-level keys are
 * warnings; everything else wrong is an error in `c`.
 */
export function readOutputs(
  tree: Tree,
  catalog: OutputCatalog,
  ownTopLevel: ReadonlySet<string>,
  c: Collector,
  warnings: string[],
): OutputInstanceConfig[] {
  const outputs: OutputInstanceConfig[] = [];
  const names = new Set<string>();
  const known = new Set([...ownTopLevel, ...catalog.sections.map((x) => x.section)]);
  for (const info of catalog.sections) {
    const s = tree[info.section];
    if (s === undefined || s === null) continue;
    if (!isTree(s)) {
      if (!c.errors.includes(`${info.section}: expected a map`))
        c.errors.push(`${info.section}: expected a map`);
      continue;
    }
    const pathOf = (key: string): string => info.keys.find((x) => x.key === key)?.path ?? key;
    const shared = SHARED_SECTIONS[info.section];
    if (!info.enabledBy.some((k) => enables(info, k, getPath(s, pathOf(k))))) {
      const stray = shared
        ? info.keys.filter((k) => !shared.own.includes(k.path) && nonEmpty(getPath(s, k.path)))
        : [];
      if (shared && stray.length > 0) {
        const keys = stray.map((k) => `${info.section}.${k.path}`).join(', ');
        const enabler = info.enabledBy.map((k) => `${info.section}.${pathOf(k)}`).join(' or ');
        c.errors.push(
          `${info.section}: ${keys} configure the ${info.type} output, which ${enabler} enables; ${shared.hint}`,
        );
      }
      continue;
    }
    let settings: Tree;
    if (info.ownsSection) {
      settings = { ...s };
      for (const k of shared?.own ?? []) delete settings[k];
    } else {
      settings = {};
      for (const k of info.keys) {
        const v = getPath(s, k.path);
        if (v !== undefined) settings[k.key] = v;
      }
    }
    outputs.push(outputInstance(info.instanceName, info.type, settings, info.section, c, true));
    names.add(info.instanceName);
  }
  for (const u of catalog.unsupported) {
    const s = tree[u.section];
    if (isTree(s) && nonEmpty(getPath(s, u.enabledBy))) {
      warnings.push(
        `${u.section}: this falcosidekick output is not supported by Falconer yet; the section is ignored`,
      );
    }
  }
  for (const key of Object.keys(tree)) {
    if (!known.has(key) && !catalog.unsupported.some((u) => u.section === key))
      warnings.push(`${key}: unknown top-level key, ignored`);
  }
  const list = tree['outputs'];
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) c.errors.push('outputs: expected a list of output instances');
    else {
      list.forEach((entry, i) => {
        const path = `outputs[${i}]`;
        if (!isTree(entry)) {
          c.errors.push(`${path}: expected a map with name and type`);
          return;
        }
        const name = typeof entry['name'] === 'string' ? entry['name'] : '';
        const type = typeof entry['type'] === 'string' ? entry['type'].toLowerCase() : '';
        if (name === '') c.errors.push(`${path}.name: required`);
        if (type === '') c.errors.push(`${path}.type: required`);
        if (name === '' || type === '') return;
        if (names.has(name)) {
          c.errors.push(`${path}.name: "${name}" is used twice`);
          return;
        }
        names.add(name);
        outputs.push(outputInstance(name, type, entry, path, c));
      });
    }
  }
  return outputs;
}
