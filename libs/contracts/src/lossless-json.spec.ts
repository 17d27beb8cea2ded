import { describe, expect, it } from 'vitest';
import {
  LosslessNumber,
  parseLosslessEventJson,
  parseLosslessJson,
  stringifyGo,
  stringifyGoSorted,
} from './lossless-json';

describe('parseLosslessJson', () => {
  it('keeps 19-digit integers and number spellings byte for byte', () => {
    const text =
      '{"a":1507591916746609046,"b":0.0,"c":1e3,"d":-1,"e":2.5,"f":[1,1.10],"s":"9007199254740993"}';
    const v = parseLosslessJson(text) as Record<string, unknown>;
    expect(v['a']).toBeInstanceOf(LosslessNumber);
    expect((v['a'] as LosslessNumber).text).toBe('1507591916746609046');
    expect(v['d']).toBe(-1);
    expect(v['e']).toBe(2.5);
    expect(v['s']).toBe('9007199254740993');
    expect(stringifyGo(v as never)).toBe(text);
  });

  it('treats __proto__ and constructor as plain keys', () => {
    const v = parseLosslessJson(
      '{"__proto__":{"polluted":1},"constructor":"x","n":12345678901234567890}',
    ) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'n']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('does not take numbers inside strings, even with escaped quotes', () => {
    const v = parseLosslessJson(
      '{"k":"say \\"12345678901234567890\\" now","n":12345678901234567890}',
    ) as Record<string, unknown>;
    expect(v['k']).toBe('say "12345678901234567890" now');
    expect((v['n'] as LosslessNumber).text).toBe('12345678901234567890');
  });

  it('cannot be fooled by a string imitating the internal marker', () => {
    const text = '{"k":"\\u0000\\u0001#99","n":12345678901234567890}';
    const v = parseLosslessJson(text) as Record<string, unknown>;
    expect(v['k']).toBe('\u0000\u0001#99');
    expect((v['n'] as LosslessNumber).text).toBe('12345678901234567890');
  });

  it('refuses invalid JSON and deep nesting', () => {
    expect(() => parseLosslessJson('{"a":')).toThrow();
    expect(() => parseLosslessJson('{"a":01}')).toThrow();
    expect(() => parseLosslessJson('['.repeat(100) + ']'.repeat(100))).toThrow(/nesting/);
    expect(() => parseLosslessJson('{"a":12345678901234567890-}')).toThrow();
  });

  it('escapes like Go and sorts map keys on request', () => {
    expect(stringifyGo('<NA> & \u2028')).toBe('"\\u003cNA\\u003e \\u0026 \\u2028"');
    expect(stringifyGo('plain text')).toBe('"plain text"');
    expect(stringifyGo('tab\tquote" back\\ nul\u0000 é 😀')).toBe(
      JSON.stringify('tab\tquote" back\\ nul\u0000 é 😀'),
    );
    expect(stringifyGoSorted({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});

/** Reads a path in a parsed value (tests only). */
function at(v: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v);
}

describe('parseLosslessJson on event-shaped text (direct output_fields path)', () => {
  it('keeps big numbers in output_fields, next to other places that take the general path', () => {
    const a = parseLosslessJson(
      '{"rule":"r","output_fields":{"evt.time":1507591916746609046,"x":"1","n":2}}',
    );
    expect(at(a, 'output_fields', 'evt.time')).toBeInstanceOf(LosslessNumber);
    expect(String(at(a, 'output_fields', 'evt.time'))).toBe('1507591916746609046');
    expect(at(a, 'output_fields', 'n')).toBe(2);
    const b = parseLosslessJson('{"output_fields":{"a":[12345678901234567890]},"n":1.50}');
    expect(String(at(b, 'output_fields', 'a', 0))).toBe('12345678901234567890');
    expect(String(at(b, 'n'))).toBe('1.50');
    const env = parseLosslessJson('{"event":{"output_fields":{"t":1507591916746609046}}}');
    expect(String(at(env, 'event', 'output_fields', 't'))).toBe('1507591916746609046');
  });

  it('does not trust the direct path with duplicate keys or escaped keys', () => {
    const dup = parseLosslessJson('{"output_fields":{"t":12345678901234567890,"t":"later"}}');
    expect(at(dup, 'output_fields', 't')).toBe('later');
    const dup2 = parseLosslessJson('{"output_fields":{"t":12345678901234567890,"t":12345678901234567891}}');
    expect(String(at(dup2, 'output_fields', 't'))).toBe('12345678901234567891');
    const esc = parseLosslessJson('{"output_fields":{"a\\"b":12345678901234567890,"__proto__":1.0}}');
    expect(String(at(esc, 'output_fields', 'a"b'))).toBe('12345678901234567890');
    expect(
      String(Object.getOwnPropertyDescriptor(at(esc, 'output_fields') as object, '__proto__')?.value),
    ).toBe('1.0');
  });
});

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
