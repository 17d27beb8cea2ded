// A process-wide cache: see ./index.ts for what these caches promise.
import { randomFillSync } from 'node:crypto';

const POOL = 128;
const random = Buffer.alloc(16 * POOL);
const text = Buffer.alloc(36 * POOL);
let next = POOL;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

function refill(): void {
  randomFillSync(random);
  for (let n = 0; n < POOL; n++) {
    const r = n * 16;
    // version 4, RFC 4122 variant
    random[r + 6] = ((random[r + 6] as number) & 0x0f) | 0x40;
    random[r + 8] = ((random[r + 8] as number) & 0x3f) | 0x80;
    let o = n * 36;
    for (let b = 0; b < 16; b++) {
      if (b === 4 || b === 6 || b === 8 || b === 10) text[o++] = 45; // -
      const v = random[r + b] as number;
      text[o++] = HEX[v >> 4] as number;
      text[o++] = HEX[v & 15] as number;
    }
  }
  next = 0;
}

/**
 * A random (version 4) UUID as one flat string. crypto.randomUUID builds its result from ~20 joined
 * pieces, and V8 keeps such a string as a tree of ~14 objects for as long as it lives; every stored
 * event keeps its uuid, so the garbage collector would copy and trace those trees for each one.
 */
export function flatRandomUuid(): string {
  if (next === POOL) refill();
  const at = next++ * 36;
  return text.toString('latin1', at, at + 36);
}
