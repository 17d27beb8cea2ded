/**
 * A small deterministic PRNG (mulberry32) for randomized tests: the seed is printed with the result, so a
 * failure can be replayed exactly.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The seed of a randomized test: `SEED` from the environment when set (to replay), else `fixed`. */
export function testSeed(fixed: number): number {
  const s = Number(process.env['SEED']);
  return Number.isInteger(s) ? s : fixed;
}
