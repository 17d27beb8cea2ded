import type { FalcoEvent } from '@falconer/contracts';
import { compileTemplate, goPrint, type CompiledTemplate } from '@falconer/falco';
import type { CreateContext } from './descriptor';
import { goTimeString } from './event-time';

/**
 * The data falcosidekick's Go templates see: its FalcoPayload field names, `Time` printed as Go's
 * `Time.String()` and `Priority` as its name (what `{{ .Time }}` and `{{ .Priority }}` print in Go).
 */
export function templateData(event: FalcoEvent): Record<string, unknown> {
  return {
    UUID: event.uuid,
    Output: event.output,
    Priority: event.priority,
    Rule: event.rule,
    Time: goTimeString(event.time),
    OutputFields: event.output_fields,
    Source: event.source,
    Tags: event.tags,
    Hostname: event.hostname,
  };
}

/** Compiles a `messageformat`-style Go template setting; a bad one is reported against its key. */
export function templateSetting(key: string, src: string, ctx: CreateContext): CompiledTemplate | undefined {
  if (src === '') return undefined;
  try {
    return compileTemplate(src);
  } catch (err) {
    ctx.error(key, err instanceof Error ? err.message : String(err));
    return undefined;
  }
}

/** A compiled `messageformat` applied to one event; `''` when none is configured. */
export function renderMessage(template: CompiledTemplate | undefined, event: FalcoEvent): string {
  return template ? template(templateData(event)) : '';
}

/**
 * An output field as Go's `fmt` `%v` prints it inside falcosidekick's fixed templates (Telegram,
 * Webex, Gotify): strings as they are, numbers with their received text, a null as `<nil>`.
 */
export function goValue(v: unknown): string {
  return v === null || v === undefined ? '<nil>' : goPrint(v);
}

/** Output fields in Go's map range order (keys sorted), as falcosidekick's templates iterate them. */
export function sortedFields(event: FalcoEvent): [string, unknown][] {
  return Object.keys(event.output_fields)
    .sort()
    .map((k) => [k, event.output_fields[k]]);
}
