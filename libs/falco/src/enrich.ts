import { setOwn, type FalcoEvent, type FieldValue } from '@falconer/contracts';
import { compileTemplate, TemplateError, type CompiledTemplate } from './template';

export interface EnrichmentConfig {
  customfields: Readonly<Record<string, string>>;
  customtags: readonly string[];
  templatedfields: Readonly<Record<string, string>>;
  /** Replacement for `[` and `]` in output field keys (`proc.aname[2]` → `proc.aname_2`); empty = off. */
  bracketreplacer: string;
}

export type Enricher = (event: FalcoEvent) => FalcoEvent;

/** Every bad `templatedfields` entry, each naming its key (checked at start with the rest of the config). */
export function enrichmentErrors(config: Pick<EnrichmentConfig, 'templatedfields'>): string[] {
  const errors: string[] = [];
  for (const [key, src] of Object.entries(config.templatedfields)) {
    try {
      compileTemplate(src);
    } catch (err) {
      errors.push(`templatedfields.${key}: ${err instanceof TemplateError ? err.message : String(err)}`);
    }
  }
  return errors;
}

/**
 * Compiles the enrichment steps once. Throws an Error listing every bad template, each naming its key.
 * Order (spec/ingest.md): customfields, customtags (+ tag de-dup and sort), templatedfields, bracketreplacer.
 */
export function createEnricher(config: EnrichmentConfig): Enricher {
  const customKeys = Object.keys(config.customfields);
  const templates: [string, CompiledTemplate][] = [];
  const errors: string[] = [];
  for (const [key, src] of Object.entries(config.templatedfields)) {
    try {
      templates.push([key, compileTemplate(src)]);
    } catch (err) {
      errors.push(`templatedfields.${key}: ${err instanceof TemplateError ? err.message : String(err)}`);
    }
  }
  if (errors.length > 0) throw new Error(errors.join('; '));
  const customTags = config.customtags;
  const replacer = config.bracketreplacer;
  const plain = customKeys.length === 0 && templates.length === 0 && replacer === '';

  return (event) => {
    const tags = customTags.length === 0 ? event.tags : [...event.tags, ...customTags];
    const sortedTags = sortUnique(tags);
    if (plain) return sortedTags === event.tags ? event : { ...event, tags: sortedTags };
    // spread and setOwn define own properties, so a `__proto__` field stays data
    let fields: Record<string, FieldValue> = { ...event.output_fields };
    for (const k of customKeys) setOwn(fields, k, config.customfields[k] as string);
    for (const [k, t] of templates) setOwn(fields, k, t(fields));
    if (replacer !== '') {
      const replaced: Record<string, FieldValue> = {};
      for (const k of Object.keys(fields)) {
        setOwn(
          replaced,
          k.includes('[') ? k.replace(/\[/g, replacer).replace(/\]/g, '') : k,
          fields[k] as FieldValue,
        );
      }
      fields = replaced;
    }
    return { ...event, output_fields: fields, tags: sortedTags };
  };
}

/** Tags de-duplicated and sorted; returns the same array when it already is. */
function sortUnique(tags: readonly string[]): readonly string[] {
  let ok = true;
  for (let i = 1; i < tags.length; i++) {
    if ((tags[i - 1] as string) >= (tags[i] as string)) {
      ok = false;
      break;
    }
  }
  return ok ? tags : [...new Set(tags)].sort();
}
