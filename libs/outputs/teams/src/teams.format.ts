import { type FalcoEvent, type Priority } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import { goTimeString, joinedTags, stringFields } from '@falconer/outputs-core';

export type TeamsOutputFormat = 'all' | 'text' | 'facts';

export interface TeamsFormat {
  activityimage: string;
  outputformat: TeamsOutputFormat;
}

/** falcosidekick's Teams theme colours (they differ from Slack's from Critical down to Warning). */
const THEME: Readonly<Record<Priority, string>> = {
  Emergency: 'e20b0b',
  Alert: 'ff5400',
  Critical: 'ff9000',
  Error: 'ffc700',
  Warning: 'ffff00',
  Notice: '5bffb5',
  Informational: '68c2ff',
  Debug: 'ccfff2',
};

/** The facts falcosidekick lists: rule, priority, source, hostname, string output fields, tags (no time). */
function facts(event: FalcoEvent): [string, string][] {
  const out: [string, string][] = [
    ['rule', event.rule],
    ['priority', event.priority],
    ['source', event.source],
  ];
  if (event.hostname !== '') out.push(['hostname', event.hostname]);
  out.push(...stringFields(event));
  if (event.tags.length > 0) out.push(['tags', joinedTags(event)]);
  return out;
}

/**
 * falcosidekick's MessageCard (outputs/teams.go), byte for byte as Go's json.Encoder writes it: key order
 * of its structs, `summary`, `themeColor`, `activityImage` and `facts` omitted when empty, `text` always
 * present, a trailing newline.
 */
export function formatTeamsMessageCard(event: FalcoEvent, cfg: TeamsFormat): string {
  let section = `{"activityTitle":"Falcosidekick","activitySubtitle":${goJsonString(goTimeString(event.time))}`;
  if (cfg.activityimage !== '') section += `,"activityImage":${goJsonString(cfg.activityimage)}`;
  section += `,"text":${goJsonString(cfg.outputformat === 'facts' ? '' : event.output)}`;
  if (cfg.outputformat !== 'text') {
    const fs = facts(event).map(([n, v]) => `{"name":${goJsonString(n)},"value":${goJsonString(v)}}`);
    section += `,"facts":[${fs.join(',')}]`;
  }
  section += '}';
  let card = '{"@type":"MessageCard"';
  if (event.output !== '') card += `,"summary":${goJsonString(event.output)}`;
  return `${card},"themeColor":"${THEME[event.priority]}","sections":[${section}]}\n`;
}

/** Adaptive Card text colours by priority. */
const CARD_COLOR: Readonly<Record<Priority, string>> = {
  Emergency: 'attention',
  Alert: 'attention',
  Critical: 'attention',
  Error: 'attention',
  Warning: 'warning',
  Notice: 'good',
  Informational: 'accent',
  Debug: 'default',
};

/**
 * Falconer's Adaptive Card message (`teams.format: adaptivecard`) for Teams Workflows webhooks, which no
 * longer take MessageCards: title (priority and rule, coloured), time, the output, the same facts as the
 * MessageCard. The `outputformat` choices apply as there.
 */
export function formatTeamsAdaptiveCard(event: FalcoEvent, cfg: TeamsFormat): string {
  const text = (s: string, extra = ''): string =>
    `{"type":"TextBlock","text":${goJsonString(s)},"wrap":true${extra}}`;
  const body: string[] = [];
  const title = text(
    `${event.priority}: ${event.rule}`,
    `,"size":"Medium","weight":"Bolder","color":"${CARD_COLOR[event.priority]}"`,
  );
  if (cfg.activityimage !== '') {
    const image = `{"type":"Image","url":${goJsonString(cfg.activityimage)},"size":"Small"}`;
    body.push(
      `{"type":"ColumnSet","columns":[{"type":"Column","width":"auto","items":[${image}]},` +
        `{"type":"Column","width":"stretch","verticalContentAlignment":"Center","items":[${title}]}]}`,
    );
  } else body.push(title);
  body.push(text(goTimeString(event.time), ',"isSubtle":true,"spacing":"None"'));
  if (cfg.outputformat !== 'facts') body.push(text(event.output));
  if (cfg.outputformat !== 'text') {
    const fs = facts(event).map(([t, v]) => `{"title":${goJsonString(t)},"value":${goJsonString(v)}}`);
    body.push(`{"type":"FactSet","facts":[${fs.join(',')}]}`);
  }
  const card =
    '{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4",' +
    `"msteams":{"width":"Full"},"body":[${body.join(',')}]}`;
  return `{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":${card}}]}\n`;
}
