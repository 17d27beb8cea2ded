import { LosslessNumber, parseLosslessJson } from '@falconer/contracts';
import { describe, expect, it } from 'vitest';
import { stringifyGo } from './go-json';
import { parseLosslessEventJson } from './lossless-event-json';

/** Reads a path in a parsed value (tests only). */
function at(v: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v);
}

describe('parseLosslessEventJson (the single-event ingest path)', () => {
  /** output_fields as the general parser sees them, serialised with their number texts. */
  const fieldsOf = (v: unknown, env = false): string =>
    stringifyGo(at(v, ...(env ? ['event', 'output_fields'] : ['output_fields'])) as never);

  it.each([
    [
      '19-digit and canonical numbers',
      '{"rule":"r","output_fields":{"evt.time":1507591916746609046,"n":2,"m":-1}}',
    ],
    [
      'spellings a float would change',
      '{"output_fields":{"a":1.0,"b":1e3,"c":-0,"d":1.50,"e":2.5,"f":1E+2}}',
    ],
    ['whitespace around the colon', '{ "output_fields" : { "t" :\n 12345678901234567890 , "u": 0.10 } }'],
    ['numbers in arrays', '{"output_fields":{"a":[12345678901234567890,1.0,"x"]}}'],
    ['duplicate keys', '{"output_fields":{"t":12345678901234567890,"t":12345678901234567891}}'],
    ['the key also in a string', '{"output":"\\"t\\":1.0","output_fields":{"t":1.00}}'],
    ['the key elsewhere', '{"other":{"t":12345678901234567891},"output_fields":{"t":12345678901234567890}}'],
    ['an escaped key', '{"output_fields":{"\\u0074":12345678901234567890,"a\\"b":1.0}}'],
    ['an escaped key spelling another', '{"x":{"t":1.0},"output_fields":{"\\u0074":1.00}}'],
    ['a slash in a key', '{"output_fields":{"a/b":1.0,"a\\/b":2.0}}'],
    [
      'output_fields also nested before',
      '{"a":{"output_fields":{"t":1.0}},"output_fields":{"t":1.00,"u":2.50}}',
    ],
    [
      'output_fields also in a string',
      '{"x":"\\"output_fields\\":{\\"t\\":1.0}","output_fields":{"t":1.00}}',
    ],
    ['__proto__', '{"output_fields":{"__proto__":1.0,"constructor":12345678901234567890}}'],
    [
      'the envelope',
      '{"event":{"rule":"r","output_fields":{"t":1507591916746609046,"x":1.0}},"outputs":["A"]}',
    ],
    ['deep nesting elsewhere', '{"output_fields":{"t":1.0},"x":' + '['.repeat(30) + ']'.repeat(30) + '}'],
  ])('keeps output_fields exactly as the general parser does: %s', (_name, text) => {
    const env = text.startsWith('{"event"');
    expect(fieldsOf(parseLosslessEventJson(text, { maxDepth: 40 }), env)).toBe(
      fieldsOf(parseLosslessJson(text, { maxDepth: 40 }), env),
    );
  });

  it('keeps the texts a float would change and leaves the others numbers', () => {
    const v = parseLosslessEventJson('{"output_fields":{"t":1507591916746609046,"d":1.50,"n":7}}');
    expect(at(v, 'output_fields', 't')).toEqual(new LosslessNumber('1507591916746609046'));
    expect(at(v, 'output_fields', 'd')).toEqual(new LosslessNumber('1.50'));
    expect(at(v, 'output_fields', 'n')).toBe(7);
  });

  it('refuses what the general parser refuses', () => {
    expect(() => parseLosslessEventJson('{"output_fields":')).toThrow();
    expect(() => parseLosslessEventJson('{"a":01}')).toThrow();
    expect(() =>
      parseLosslessEventJson('{"a":' + '['.repeat(20) + ']'.repeat(20) + '}', { maxDepth: 16 }),
    ).toThrow(/nesting/);
  });

  it('agrees with the general parser on generated events', () => {
    // a small deterministic generator: keys and values drawn from awkward pieces
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const keys = ['t', 'evt.time', 'a/b', 'proc.aname[2]', '__proto__', 'k"q', 'é', 'x y', '\\u0074'];
    const numbers = [
      '0',
      '-0',
      '1',
      '1.0',
      '1e3',
      '12345678901234567890',
      '-9007199254740993',
      '2.50',
      '0.1',
    ];
    for (let n = 0; n < 2000; n++) {
      const parts: string[] = [];
      const count = 1 + rnd(5);
      for (let k = 0; k < count; k++) {
        const key = JSON.stringify(keys[rnd(keys.length)]);
        const num = numbers[rnd(numbers.length)] as string;
        const value = rnd(4) === 0 ? `[${num},"s"]` : rnd(3) === 0 ? JSON.stringify(`${key}:${num}`) : num;
        parts.push(`${key}:${value}`);
      }
      const decoys = [
        '',
        `"output":${JSON.stringify(parts.join(','))},`,
        `"other":{${parts.slice(0, 1).join(',')}},`,
        `"x":"\\u0074",`,
      ];
      const decoy = decoys[rnd(decoys.length)] as string;
      const space = rnd(3) === 0 ? ' \n' : '';
      const text = `{${decoy}"rule":"r",${space}"output_fields"${space}:{${parts.join(`${space},`)}}}`;
      expect(fieldsOf(parseLosslessEventJson(text)), text).toBe(fieldsOf(parseLosslessJson(text)));
    }
  });
});
