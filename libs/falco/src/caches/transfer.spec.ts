import { describe, expect, it } from 'vitest';
import { LosslessNumber } from '@falconer/contracts';
import { fixture, fixtureNames } from '@falconer/testing';
import { parseEvent } from '../parse';
import { serializeEvent } from '../serialize';
import { fromTransfer, toTransfer } from './transfer';

/** What the parse worker's postMessage does to a parsed event: the structured clone algorithm. */
const acrossThreads = (text: string) => fromTransfer(structuredClone(toTransfer(parseEvent(text))));

describe('a parsed event sent to another thread and back', () => {
  it.each(fixtureNames())('%s serialises to the same bytes as one parsed on the spot', (name) => {
    const text = fixture(name);
    const here = parseEvent(text);
    const there = acrossThreads(text);
    // (a body without a uuid gets a new one at each parse)
    expect(serializeEvent({ ...there.event, uuid: here.event.uuid })).toBe(serializeEvent(here.event));
    expect(Object.keys(there.event)).toEqual(Object.keys(here.event));
  });

  it('makes exact numbers LosslessNumbers again, alone and in arrays, and leaves plain numbers alone', () => {
    const text =
      '{"priority":"Notice","rule":"r","time":"2026-11-20T10:15:02.482910331Z","output_fields":' +
      '{"evt.time":1795176902482910331,"fd.nums":[18446744073709551615,3],"ratio":1.50,"n":7,"s":"12345678901234567891"}}';
    const { event } = acrossThreads(text);
    const f = event.output_fields;
    expect(f['evt.time']).toBeInstanceOf(LosslessNumber);
    expect(String(f['evt.time'])).toBe('1795176902482910331');
    const nums = f['fd.nums'] as unknown[];
    expect(nums[0]).toBeInstanceOf(LosslessNumber);
    expect(String(nums[0])).toBe('18446744073709551615');
    expect(nums[1]).toBe(3);
    expect(f['ratio']).toBeInstanceOf(LosslessNumber);
    expect(f['n']).toBe(7);
    expect(f['s']).toBe('12345678901234567891');
    expect(serializeEvent(event)).toContain(
      '"evt.time":1795176902482910331,"fd.nums":[18446744073709551615,3],"n":7,"ratio":1.50,',
    );
  });

  it('keeps a __proto__ field as data and the envelope’s outputs', () => {
    const text =
      '{"event":{"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z",' +
      '"output_fields":{"__proto__":"x","big":12345678901234567891}},"outputs":["slack"]}';
    const parsed = acrossThreads(text);
    expect(parsed.outputs).toEqual(['slack']);
    const f = parsed.event.output_fields;
    expect(Object.keys(f)).toEqual(['__proto__', 'big']);
    expect(Object.getPrototypeOf(f)).toBe(Object.prototype);
    expect(f['big']).toBeInstanceOf(LosslessNumber);
  });
});
