import { describe, expect, it } from 'vitest';
import { LosslessNumber, parseLosslessJson } from './lossless-json';

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
    expect((v['b'] as LosslessNumber).text).toBe('0.0');
    expect((v['c'] as LosslessNumber).text).toBe('1e3');
    expect(((v['f'] as unknown[])[1] as LosslessNumber).text).toBe('1.10');
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
