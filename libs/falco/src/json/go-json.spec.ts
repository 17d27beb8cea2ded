import { parseLosslessJson } from '@falconer/contracts';
import { describe, expect, it } from 'vitest';
import { stringifyGo, stringifyGoSorted } from './go-json';

describe('Go-compatible JSON', () => {
  it('writes parsed numbers back byte for byte', () => {
    const text =
      '{"a":1507591916746609046,"b":0.0,"c":1e3,"d":-1,"e":2.5,"f":[1,1.10],"s":"9007199254740993"}';
    expect(stringifyGo(parseLosslessJson(text))).toBe(text);
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
