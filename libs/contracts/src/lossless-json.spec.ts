import { describe, expect, it } from 'vitest';
import { LosslessNumber, parseLosslessJson, stringifyGo, stringifyGoSorted } from './lossless-json';

describe('parseLosslessJson', () => {
  it('keeps 19-digit integers and number spellings byte for byte', () => {
    const text = '{"a":1507591916746609046,"b":0.0,"c":1e3,"d":-1,"e":2.5,"f":[1,1.10],"s":"9007199254740993"}';
    const v = parseLosslessJson(text) as Record<string, unknown>;
    expect(v['a']).toBeInstanceOf(LosslessNumber);
    expect((v['a'] as LosslessNumber).text).toBe('1507591916746609046');
    expect(v['d']).toBe(-1);
    expect(v['e']).toBe(2.5);
    expect(v['s']).toBe('9007199254740993');
    expect(stringifyGo(v as never)).toBe(text);
  });

  it('treats __proto__ and constructor as plain keys', () => {
    const v = parseLosslessJson('{"__proto__":{"polluted":1},"constructor":"x","n":12345678901234567890}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'n']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('does not take numbers inside strings, even with escaped quotes', () => {
    const v = parseLosslessJson('{"k":"say \\"12345678901234567890\\" now","n":12345678901234567890}') as Record<string, unknown>;
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
    expect(stringifyGo('tab\tquote" back\\ nul\u0000 é 😀')).toBe(JSON.stringify('tab\tquote" back\\ nul\u0000 é 😀'));
    expect(stringifyGoSorted({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});
