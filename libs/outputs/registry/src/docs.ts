import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envName, sectionPath, type OutputDescriptor, type Setting } from '@falconer/outputs-core';
import { implementation } from './catalog';
import { FALCOSIDEKICK_OUTPUTS } from './falcosidekick-outputs';
import { OUTPUTS } from './outputs';

export const BEGIN_SETTINGS = '<!-- BEGIN GENERATED SETTINGS -->';
export const END_SETTINGS = '<!-- END GENERATED SETTINGS -->';
export const BEGIN_TABLE = '<!-- BEGIN GENERATED OUTPUTS TABLE -->';
export const END_TABLE = '<!-- END GENERATED OUTPUTS TABLE -->';

function duration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function shownDefault(s: Setting): string {
  if (s.required) return 'required';
  const v = s.default;
  if (s.kind === 'duration') return `\`${duration(v as number)}\``;
  if (Array.isArray(v)) return v.length === 0 ? '' : `\`${v.join(',')}\``;
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return '';
  if (v === '' || (s.kind === 'int' && v === 0)) return '';
  return `\`${String(v)}\``;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The settings table of one output, from its schema. */
export function settingsTable(d: OutputDescriptor): string {
  const rows = Object.entries(d.settings).map(([key, s]) => {
    const notes = [s.secret ? 'secret' : '', s.extension ? 'Falconer extension' : ''].filter((x) => x !== '');
    return `| \`${sectionPath(d, key)}\` | \`${envName(d, key)}\` | ${s.kind === 'enum' ? (s.values ?? []).filter((x) => x !== '').join(' \\| ') : s.kind} | ${shownDefault(s)} | ${cell(s.description)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''} |`;
  });
  return [
    `Enabled when ${d.enabledBy.map((k) => `\`${sectionPath(d, k)}\``).join(' or ')} is set, or as \`type: ${d.type}\` in \`outputs:\` (keys without the \`${d.section ?? d.type}.\` prefix).`,
    '',
    '| key | env var | type | default | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** A new doc page for an output that has none yet. */
function newPage(d: OutputDescriptor): string {
  return `# ${d.title} output\n\n${d.summary}\n\n## Settings\n\n${BEGIN_SETTINGS}\n${END_SETTINGS}\n\n## Example\n\n\`\`\`yaml\n${d.example}\n\`\`\`\n`;
}

/** The README's table of every falcosidekick output and its status in Falconer. */
export function outputsTable(): string {
  const rows = FALCOSIDEKICK_OUTPUTS.map((o) => {
    const d = implementation(o);
    const status =
      d !== undefined
        ? `supported: [\`${d.type}\`](docs/outputs/${d.type}.md)`
        : o.plan === 'planned'
          ? 'planned'
          : 'not planned';
    return `| ${o.title} | \`${o.section}.${o.enabledBy}\` | ${status} | ${d === undefined ? cell(o.note ?? '') : ''} |`;
  });
  return [
    '| falcosidekick output | enabled by | Falconer | note |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function replaceBetween(text: string, begin: string, end: string, body: string): string | undefined {
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return undefined;
  // generated tables stay as generated: Prettier would realign them
  return `${text.slice(0, i + begin.length)}\n<!-- prettier-ignore-start -->\n${body}\n<!-- prettier-ignore-end -->\n${text.slice(j)}`;
}

/**
 * Regenerates the settings table of every `docs/outputs/<type>.md` and the README's outputs table.
 * Returns the files that were stale (or missing); writes them when `write` is true.
 */
export function syncDocs(root: string, write: boolean): string[] {
  const stale: string[] = [];
  const files: [string, string, string, string][] = OUTPUTS.map((d) => [
    join(root, 'docs/outputs', `${d.type}.md`),
    BEGIN_SETTINGS,
    END_SETTINGS,
    settingsTable(d),
  ]);
  files.push([join(root, 'README.md'), BEGIN_TABLE, END_TABLE, outputsTable()]);
  OUTPUTS.forEach((d, i) => {
    const file = files[i]?.[0] as string;
    if (!existsSync(file)) {
      stale.push(file);
      if (write) writeFileSync(file, newPage(d));
    }
  });
  for (const [file, begin, end, body] of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const next = replaceBetween(text, begin, end, body);
    if (next === undefined) {
      stale.push(`${file} (no ${begin} … ${end} markers)`);
      continue;
    }
    if (next !== text) {
      if (!stale.includes(file)) stale.push(file);
      if (write) writeFileSync(file, next);
    }
  }
  return stale;
}
