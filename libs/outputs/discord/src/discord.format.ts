import { type FalcoEvent, type Priority } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import { CHAT_DEFAULTS, clip, goTimeString, joinedTags, stringFields } from '@falconer/outputs-core';

/** falcosidekick's embed colours: decimal RGB, sent as JSON strings as it does. */
const COLORS: Readonly<Record<Priority, string>> = {
  Emergency: '15158332',
  Alert: '11027200',
  Critical: '15105570',
  Error: '15844367',
  Warning: '12745742',
  Notice: '3066993',
  Informational: '3447003',
  Debug: '12370112',
};

/** Discord's embed limits: longer descriptions or values, or more fields, make it answer 400. */
export const DISCORD_LIMITS = { description: 4096, fieldValue: 1024, fields: 25 } as const;

/**
 * falcosidekick's Discord message (outputs/discord.go) as Go's json.Encoder writes it: empty `content`,
 * `avatar_url`, one embed with the output as description and inline fields rule, priority, source,
 * hostname, each string output field in a code span, tags, time. Deliberate difference: text over
 * Discord's limits is clipped and surplus fields dropped (time kept), so the message is accepted.
 */
export function formatDiscord(event: FalcoEvent, icon: string): string {
  const pairs: [string, string][] = [
    ['rule', event.rule],
    ['priority', event.priority],
    ['source', event.source],
  ];
  if (event.hostname !== '') pairs.push(['hostname', event.hostname]);
  for (const [k, v] of stringFields(event)) pairs.push([k, '```' + v + '```']);
  if (event.tags.length > 0) pairs.push(['tags', joinedTags(event)]);
  if (pairs.length >= DISCORD_LIMITS.fields) pairs.length = DISCORD_LIMITS.fields - 1;
  pairs.push(['time', goTimeString(event.time)]);
  const fields = pairs.map(
    ([n, v]) =>
      `{"name":${goJsonString(n)},"value":${goJsonString(clip(v, DISCORD_LIMITS.fieldValue))},"inline":true}`,
  );
  const embed =
    `{"title":"","url":"","description":${goJsonString(clip(event.output, DISCORD_LIMITS.description))},` +
    `"color":"${COLORS[event.priority]}","fields":[${fields.join(',')}]}`;
  return `{"content":"","avatar_url":${goJsonString(icon || CHAT_DEFAULTS.fallbackIcon)},"embeds":[${embed}]}\n`;
}
