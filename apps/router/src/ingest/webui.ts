import { PRIORITIES } from '@falconer/contracts';

/**
 * Falco starts `output` with `HH:MM:SS.nnnnnnnnn: Priority `; falcosidekick-ui shows the text after it, and
 * so does Falconer for events from falcosidekick's webui output. Unlike falcosidekick-ui's expression,
 * this one takes `Informational` whole (not `Info` + `rmational`) and the space after the priority.
 */
const FALCO_PREFIX = new RegExp(
  `^\\d{2}:\\d{2}:\\d{2}\\.\\d{9}: (?:${[...PRIORITIES, 'Info'].join('|')})(?: |$)`,
  'i',
);

export function stripFalcoPrefix(output: string): string {
  return output.replace(FALCO_PREFIX, '');
}

/** falcosidekick-ui's answer to an accepted webui body: the JSON string `"{}"`, as its Go handler writes it. */
export const WEBUI_ACCEPTED = '"{}"\n';
