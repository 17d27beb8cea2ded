import { describe, expect, it } from 'vitest';
import { LosslessNumber } from '@falconer/contracts';
import { fixture, fixtureNames } from '@falconer/testing';
import { EventValidationError, parseEvent } from './parse';
import { serializeEvent } from './serialize';

const base = {
  output: 'x',
  priority: 'Warning',
  rule: 'R',
  time: '2026-11-20T10:16:40.001200300Z',
  output_fields: { 'proc.name': 'cat' },
};
const body = (o: Record<string, unknown>): string => JSON.stringify(o);

function refusal(text: string | Buffer): EventValidationError {
  try {
    parseEvent(text);
  } catch (err) {
    expect(err).toBeInstanceOf(EventValidationError);
    return err as EventValidationError;
  }
  throw new Error('expected a refusal');
}

describe('parseEvent on the shared Falco fixtures', () => {
  it.each(fixtureNames())('%s parses, and every number leaves as it came in', (name) => {
    const text = fixture(name);
    const { event } = parseEvent(text);
    const out = serializeEvent(event);
    const numbers = (s: string): string[] =>
      s.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/-?\d[\d.eE+-]*/g) ?? [];
    expect(numbers(out).sort()).toEqual(numbers(text).sort());
    expect(event.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps the 19-digit evt.time of falcosidekick's README event byte for byte", () => {
    const { event } = parseEvent(fixture('write-below-binary-dir'));
    const v = event.output_fields['evt.time'];
    expect(v).toBeInstanceOf(LosslessNumber);
    expect(String(v)).toBe('1507591916746609046');
    expect(serializeEvent(event)).toBe(
      `{"uuid":"${event.uuid}","output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)","priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609046Z","output_fields":{"evt.time":1507591916746609046,"fd.name":"/bin/hack","proc.cmdline":"touch /bin/hack","user.name":"root"},"source":"syscalls","hostname":"localhost"}`,
    );
  });

  it('keeps nulls, bracket keys and <NA> (escaped as Go does)', () => {
    const { event } = parseEvent(fixture('read-sensitive-file'));
    expect(event.output_fields['k8s.ns.name']).toBeNull();
    expect(event.output_fields['proc.aname[2]']).toBe('systemd');
    expect(serializeEvent(event)).toContain('ggparent=\\u003cNA\\u003e');
    expect(serializeEvent(event)).toContain('"k8s.ns.name":null');
  });

  it('keeps UTF-8 text intact', () => {
    const { event } = parseEvent(Buffer.from(fixture('utf8-output'), 'utf8'));
    expect(JSON.parse(serializeEvent(event))).toMatchObject({ output: event.output });
    expect(event.output).toMatch(/[^ -~]/u);
  });
});

describe('validation', () => {
  it('accepts priority names case-insensitively and info as Informational', () => {
    expect(parseEvent(body({ ...base, priority: 'CRITICAL' })).event.priority).toBe('Critical');
    expect(parseEvent(body({ ...base, priority: 'info' })).event.priority).toBe('Informational');
  });

  it('refuses an unknown priority naming the field', () => {
    const err = refusal(body({ ...base, priority: 'urgent' }));
    expect(err.field).toBe('priority');
    expect(err.message).toContain('"urgent"');
  });

  it.each([
    ['rule missing', { ...base, rule: undefined }, 'rule'],
    ['rule empty', { ...base, rule: '' }, 'rule'],
    ['time not RFC 3339', { ...base, time: 'yesterday' }, 'time'],
    ['time month 13', { ...base, time: '2026-13-01T00:00:00Z' }, 'time'],
    ['time offset +25:00 (issue 13)', { ...base, time: '2026-11-22T10:00:00.123456789+25:00' }, 'time'],
    ['output_fields missing', { ...base, output_fields: undefined }, 'output_fields'],
    ['output_fields empty', { ...base, output_fields: {} }, 'output_fields'],
    ['nested object in output_fields', { ...base, output_fields: { a: { b: 1 } } }, 'output_fields.a'],
    ['tags not an array', { ...base, tags: 'a,b' }, 'tags'],
    ['tag not a string', { ...base, tags: ['a', 1] }, 'tags'],
    ['hostname a number', { ...base, hostname: 7 }, 'hostname'],
    ['uuid an object', { ...base, uuid: {} }, 'uuid'],
  ])('refuses %s', (_name, value, field) => {
    expect(refusal(body(value)).field).toBe(field);
  });

  it('refuses invalid UTF-8, invalid JSON, a non-object and deep nesting', () => {
    expect(refusal(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])).code).toBe('invalid_encoding');
    expect(refusal('{"rule":').code).toBe('invalid_json');
    expect(refusal('[1,2]').message).toContain('expected a JSON object');
    expect(refusal('').code).toBe('invalid_json');
    expect(refusal('{"a":' + '['.repeat(50) + ']'.repeat(50) + '}').code).toBe('invalid_json');
  });

  it('accepts arrays of scalars in output_fields, any offset, and keeps a sender uuid', () => {
    const { event } = parseEvent(
      body({
        ...base,
        uuid: 'abc-123',
        time: '2026-11-20T12:16:40.5+02:00',
        output_fields: { 'a[0]': [1, 'x', null, true] },
      }),
    );
    expect(event.uuid).toBe('abc-123');
    expect(event.time).toBe('2026-11-20T12:16:40.5+02:00');
    expect(event.output_fields['a[0]']).toEqual([1, 'x', null, true]);
  });

  it('normalises time as Go re-marshals it (trailing zeros of the fraction dropped)', () => {
    expect(parseEvent(body(base)).event.time).toBe('2026-11-20T10:16:40.0012003Z');
    expect(parseEvent(body({ ...base, time: '2026-11-20T10:16:40.000000000Z' })).event.time).toBe(
      '2026-11-20T10:16:40Z',
    );
  });

  it('defaults a missing source to syscalls and treats __proto__ keys as data', () => {
    const { event } = parseEvent(
      '{"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z","output_fields":{"__proto__":"x","constructor":1}}',
    );
    expect(event.source).toBe('syscalls');
    expect(Object.keys(event.output_fields)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it("unwraps falcosidekick-ui's {event, outputs} envelope", () => {
    const parsed = parseEvent(body({ event: base, outputs: ['Slack', 'Webhook'] }));
    expect(parsed.event.rule).toBe('R');
    expect(parsed.outputs).toEqual(['Slack', 'Webhook']);
  });

  it('takes an envelope whose event has no fields ({} or a nil Go map); a bare event still needs them', () => {
    for (const output_fields of [{}, null, undefined]) {
      const parsed = parseEvent(body({ event: { ...base, output_fields }, outputs: [] }));
      expect(parsed.event.output_fields).toEqual({});
      expect(serializeEvent(parsed.event)).toContain('"output_fields":{}');
    }
    expect(refusal(body({ ...base, output_fields: {} })).field).toBe('output_fields');
    expect(refusal(body({ event: { ...base, output_fields: [] }, outputs: [] })).field).toBe(
      'event.output_fields',
    );
  });

  it('keeps 6 KB strings and refuses strings past the limit', () => {
    const long = 'é'.repeat(6 * 1024);
    expect(parseEvent(body({ ...base, output: long })).event.output).toBe(long);
    expect(() => parseEvent(body({ ...base, output: 'x'.repeat(300_000) }))).toThrow(/longer than/);
  });
});
