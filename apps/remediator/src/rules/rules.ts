import { parseDocument } from 'yaml';
import { z } from 'zod';
import { PRIORITIES, type Priority } from '@falconer/contracts';
import { parsePriority } from '@falconer/falco';

/** `minHealthyReplicas`: a count, or a percentage of the owner's desired replicas. */
export type MinHealthy = { kind: 'count'; value: number } | { kind: 'percent'; value: number };

export interface TerminateParams {
  gracePeriodSeconds?: number;
  ignoreDaemonsets: boolean;
  ignoreStatefulsets: boolean;
  ignoreStandalonePods: boolean;
  minHealthyReplicas?: MinHealthy;
}
export interface LabelParams {
  labels: Record<string, string>;
}
export interface NetworkPolicyParams {
  /** Name of the deny-all NetworkPolicy created in the pod's namespace (one per namespace). */
  policyName: string;
  /** The quarantine label put on the pod and selected by the policy. */
  label: { key: string; value: string };
}

export type RuleAction =
  | { action: 'kubernetes:terminate'; parameters: TerminateParams }
  | { action: 'kubernetes:label'; parameters: LabelParams }
  | { action: 'kubernetes:networkpolicy'; parameters: NetworkPolicyParams }
  | { action: 'log'; parameters: { message: string } };

export type ActionName = RuleAction['action'];
export const ACTION_NAMES: readonly ActionName[] = [
  'kubernetes:terminate',
  'kubernetes:label',
  'kubernetes:networkpolicy',
  'log',
];

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface RuleMatch {
  /** Falco rule names; `*` and `?` are wildcards. */
  rules?: string[];
  priority?: { op: Comparator; priority: Priority };
  /** Every listed tag must be present. */
  tags?: string[];
  /** Any of these sources. */
  sources?: string[];
  /** Field name → accepted values (strings may use wildcards); every listed field must match one value. */
  fields?: Record<string, string[]>;
}

export interface ResponseRule {
  name: string;
  match: RuleMatch;
  actions: RuleAction[];
  dryRun: boolean;
  /** Evaluate later rules after this one matched. */
  continue: boolean;
}

export class RulesError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid response rules in ${source}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RulesError';
  }
}

// Kubernetes label syntax: optional DNS-subdomain prefix, name of at most 63 characters.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0 && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `label key "${key}": prefix must be a DNS subdomain`;
  if (!LABEL_NAME.test(name))
    return `label key "${key}": name must be 1-63 characters [A-Za-z0-9-_.], starting and ending alphanumeric`;
  return undefined;
}
function labelValueProblem(value: string): string | undefined {
  if (value === '' || LABEL_NAME.test(value)) return undefined;
  return `label value "${value}": must be empty or 1-63 characters [A-Za-z0-9-_.], starting and ending alphanumeric`;
}

const labelMap = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
  .superRefine((labels, ctx) => {
    const keys = Object.keys(labels);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'at least one label is required' });
    for (const k of keys) {
      const p = labelKeyProblem(k) ?? labelValueProblem(labels[k] as string);
      if (p !== undefined) ctx.addIssue({ code: 'custom', message: p, path: [k] });
    }
  });

const minHealthy = z.union([z.number(), z.string()]).transform((v, ctx): MinHealthy => {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a whole number ≥ 0 or a percentage such as "50%", got ${v}`,
      });
      return z.NEVER;
    }
    return { kind: 'count', value: v };
  }
  const s = v.trim();
  let m = /^(\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (m !== null) {
    const pct = Number(m[1]);
    if (pct > 100) {
      ctx.addIssue({ code: 'custom', message: `a percentage must be at most 100%, got "${s}"` });
      return z.NEVER;
    }
    return { kind: 'percent', value: pct };
  }
  m = /^\d+$/.exec(s);
  if (m !== null) return { kind: 'count', value: Number(s) };
  ctx.addIssue({
    code: 'custom',
    message: `expected a whole number or a percentage such as "50%", got "${s}"`,
  });
  return z.NEVER;
});

const terminateParams = z
  .strictObject({
    gracePeriodSeconds: z.number().int().min(0).optional(),
    ignoreDaemonsets: z.boolean().default(true),
    ignoreStatefulsets: z.boolean().default(false),
    ignoreStandalonePods: z.boolean().default(true),
    minHealthyReplicas: minHealthy.optional(),
  })
  .default({ ignoreDaemonsets: true, ignoreStatefulsets: false, ignoreStandalonePods: true });

const networkPolicyParams = z
  .strictObject({
    policyName: z
      .string()
      .regex(DNS_SUBDOMAIN, 'must be a DNS subdomain (lower-case letters, digits, "-" and ".")')
      .max(253)
      .default('falconer-quarantine'),
    label: labelMap.optional(),
  })
  .default({ policyName: 'falconer-quarantine' })
  .transform((p, ctx): NetworkPolicyParams => {
    const entries = Object.entries(p.label ?? { 'falconer.io/quarantined': 'true' });
    if (entries.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'exactly one quarantine label is required', path: ['label'] });
      return z.NEVER;
    }
    const [key, value] = entries[0] as [string, string];
    return { policyName: p.policyName, label: { key, value } };
  });

const action = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.literal('kubernetes:terminate'), parameters: terminateParams }),
    z.strictObject({
      action: z.literal('kubernetes:label'),
      parameters: z.strictObject({ labels: labelMap }),
    }),
    z.strictObject({ action: z.literal('kubernetes:networkpolicy'), parameters: networkPolicyParams }),
    z.strictObject({
      action: z.literal('log'),
      parameters: z.strictObject({ message: z.string().default('') }).default({ message: '' }),
    }),
  ],
  { error: () => `unknown action; expected one of ${ACTION_NAMES.join(', ')}` },
);

const priorityCondition = z.string().transform((v, ctx) => {
  const m = /^\s*(>=|<=|==|!=|=|<|>)?\s*([A-Za-z]+)\s*$/.exec(v);
  const priority = m === null ? undefined : parsePriority(m[2] as string);
  if (m === null || priority === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a comparison such as ">=Notice" with one of ${PRIORITIES.join(', ')}, got "${v}"`,
    });
    return z.NEVER;
  }
  const raw = m[1] ?? '=';
  return { op: (raw === '==' ? '=' : raw) as Comparator, priority };
});

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const fieldValues = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  ])
  .transform((v) => (Array.isArray(v) ? v : [v]).map((x) => (x === null ? 'null' : String(x))));

const match = z
  .strictObject({
    rules: stringList.optional(),
    priority: priorityCondition.optional(),
    tags: stringList.optional(),
    source: stringList.optional(),
    fields: z.record(z.string(), fieldValues).optional(),
  })
  .transform((m, ctx): RuleMatch => {
    const out: RuleMatch = {};
    if (m.rules !== undefined) out.rules = m.rules;
    if (m.priority !== undefined) out.priority = m.priority;
    if (m.tags !== undefined) out.tags = m.tags;
    if (m.source !== undefined) out.sources = m.source;
    if (m.fields !== undefined) out.fields = m.fields;
    if (Object.keys(out).length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs at least one condition (an empty match would act on every event)',
      });
      return z.NEVER;
    }
    return out;
  });

const rule = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty'),
  match,
  actions: z.array(action).min(1, 'at least one action is required'),
  dryRun: z.boolean().default(false),
  continue: z.boolean().default(true),
});

const rulesFile = z.array(rule);

function formatPath(path: readonly PropertyKey[], doc: unknown): string {
  let out = '';
  let node: unknown = doc;
  for (const p of path) {
    if (typeof p === 'number') {
      out += `[${p}]`;
      // name the rule so the operator finds it without counting
      if (out === `[${p}]` && Array.isArray(node)) {
        const n = (node[p] as { name?: unknown } | undefined)?.name;
        if (typeof n === 'string' && n !== '') out += ` ("${n}")`;
      }
    } else out += (out === '' ? '' : '.') + String(p);
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[p] : undefined;
  }
  return out === '' ? '(file)' : `rules${out.startsWith('[') ? '' : '.'}${out}`;
}

/** Parses and validates a rules file; throws one RulesError listing every problem. */
export function parseRules(text: string, source = 'rules'): ResponseRule[] {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new RulesError(
      source,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  const value: unknown = doc.toJS();
  if (value === null || value === undefined)
    throw new RulesError(source, ['the file holds no rules; expected a YAML list of rules']);
  const result = rulesFile.safeParse(value);
  if (!result.success) {
    throw new RulesError(
      source,
      result.error.issues.map((i) => `${formatPath(i.path, value)}: ${i.message}`),
    );
  }
  const names = new Map<string, number>();
  const problems: string[] = [];
  result.data.forEach((r, i) => {
    const seen = names.get(r.name);
    if (seen !== undefined) problems.push(`rules[${i}] ("${r.name}"): name already used by rules[${seen}]`);
    names.set(r.name, i);
  });
  if (problems.length > 0) throw new RulesError(source, problems);
  return result.data;
}
