import { type FalcoEvent } from '@falconer/contracts';
import { goPrint, goJsonString } from '@falconer/falco';
import { sortedFields } from '@falconer/outputs-core';

/**
 * falcosidekick's fixed Webex markdown (its `md` template in outputs/webex.go, blank lines and trailing
 * spaces included), rendered without a template engine: `{{ .Priority }}` prints the name, range over
 * the tags as sent and over the output fields in key order, values as text/template prints them.
 */
export function webexMarkdown(event: FalcoEvent): string {
  return (
    `# Falco Rule '${event.rule}'\n\n### ${event.output}\n\nAdditional informations:\n` +
    `  * Hostname: ${event.hostname}\n  * Source:   ${event.source}  \n  * Priority: ${event.priority}\n` +
    '  * Tags:\n    ' +
    event.tags.map((t) => `\n    * ${t}\n    `).join('') +
    '\n  * Fields:\n\t' +
    sortedFields(event)
      .map(([k, v]) => `\n\t* ${k}: ${goPrint(v)}\n\t`)
      .join('') +
    '\n'
  );
}

/** falcosidekick's Webex body: `{"markdown":…}` as Go's json.Encoder writes it. */
export function formatWebex(event: FalcoEvent): string {
  return `{"markdown":${goJsonString(webexMarkdown(event))}}\n`;
}
