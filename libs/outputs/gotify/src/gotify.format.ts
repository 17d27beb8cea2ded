import { type FalcoEvent } from '@falconer/contracts';
import { goPrint, priorityLevel, serializeEvent, goJsonString } from '@falconer/falco';
import { goTimeString, sortedFields } from '@falconer/outputs-core';

export type GotifyFormat = 'markdown' | 'plaintext' | 'text' | 'json';

/** falcosidekick's `gotifyMarkdownTmpl` / `gotifyTextTmpl`, rendered without a template engine. */
function gotifyMessage(event: FalcoEvent, markdown: boolean): string {
  const label = (name: string): string => (markdown ? `- **${name}**: ` : `${name}: `);
  const tags = event.tags.map((t) => `${t} `).join('');
  return (
    `${label('Priority')}${event.priority}\n${label('Rule')}${event.rule}\n${label('Output')}${event.output}\n` +
    `${label('Source')}${event.source}\n${label('Tags')}${tags}\n${label('Time')}${goTimeString(event.time)}\n` +
    `${markdown ? '- **Fields**:' : 'Fields:'}\n` +
    sortedFields(event)
      .map(([k, v]) => (markdown ? `\t- **${k}**: ${goPrint(v)}\n` : `- ${k}: ${goPrint(v)}\n`))
      .join('')
  );
}

/**
 * falcosidekick's Gotify message (outputs/gotify.go) as Go's json.Encoder writes it: title
 * `[Falco] [<priority>] <rule>`, the priority's level (Debug 1 … Emergency 8), the message in the chosen
 * format (`json`: the event as falcosidekick marshals it) and the display extras. Deliberate difference:
 * the content type is Gotify's `text/markdown` or `text/plain` (falcosidekick's `markdown`/`plaintext`
 * are not content types, so Gotify never rendered its markdown).
 */
export function formatGotify(event: FalcoEvent, format: GotifyFormat): string {
  const message = format === 'json' ? serializeEvent(event) : gotifyMessage(event, format === 'markdown');
  const contentType = format === 'markdown' ? 'text/markdown' : 'text/plain';
  return (
    `{"title":${goJsonString(`[Falco] [${event.priority}] ${event.rule}`)},"priority":${priorityLevel(event.priority)},` +
    `"message":${goJsonString(message)},"extras":{"client::display":{"contentType":"${contentType}"}}}\n`
  );
}
