import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's Falco fixtures (libs/testing/fixtures/falco); nothing reads outside the repository. */
export const FIXTURES_DIR = resolve(import.meta.dirname, '../fixtures/falco');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** The fixture's exact text. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name.endsWith('.json') ? name : `${name}.json`), 'utf8');
}
