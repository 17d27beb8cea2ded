import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FALCOSIDEKICK_OUTPUTS } from './falcosidekick-outputs';
import { implementation } from './catalog';
import { syncDocs } from './docs';
import { OUTPUTS } from './outputs';

const ROOT = join(import.meta.dirname, '../../../..');

describe('generated docs', () => {
  // `npm run docs:outputs` regenerates them (it runs this file with FALCONER_WRITE_DOCS=1)
  const write = process.env['FALCONER_WRITE_DOCS'] === '1';

  it('every docs/outputs/<type>.md settings table and the README outputs table match the descriptors', () => {
    expect(syncDocs(ROOT, write)).toEqual([]);
  });

  it('every output with a falcosidekick section is one of falcosidekick outputs, and types are unique', () => {
    const types = OUTPUTS.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    const implemented = FALCOSIDEKICK_OUTPUTS.map(implementation).filter((d) => d !== undefined);
    for (const d of OUTPUTS.filter((x) => x.section !== undefined))
      expect(implemented, `${d.type} has no entry in FALCOSIDEKICK_OUTPUTS`).toContain(d);
  });
});
