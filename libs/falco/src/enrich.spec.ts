import { describe, expect, it } from 'vitest';
import { parseEvent } from './parse';
import { createEnricher } from './enrich';
import { fixture } from '@falconer/testing';

const none = { customfields: {}, customtags: [], templatedfields: {}, bracketreplacer: '' };

describe('enrichment', () => {
  const event = parseEvent(fixture('read-sensitive-file')).event;

  it('always de-duplicates and sorts tags', () => {
    const e = parseEvent(
      '{"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z","output_fields":{"a":1},"tags":["b","a","b"]}',
    ).event;
    expect(createEnricher(none)(e).tags).toEqual(['a', 'b']);
  });

  it('merges customfields (config wins), appends customtags, evaluates templates, replaces brackets', () => {
    const enrich = createEnricher({
      customfields: { 'user.name': 'overridden', Env: 'prod' },
      customtags: ['zz', 'host'],
      templatedfields: {
        nsOrNone: '{{ or (index . "k8s.ns.name") "none" }}',
        who: 'user={{ index . "user.name" }} env={{ .Env }}',
      },
      bracketreplacer: '_',
    });
    const out = enrich(event);
    expect(out.output_fields['user.name']).toBe('overridden');
    expect(out.output_fields['Env']).toBe('prod');
    expect(out.output_fields['nsOrNone']).toBe('none');
    expect(out.output_fields['who']).toBe('user=overridden env=prod');
    expect(out.output_fields['proc.aname_2']).toBe('systemd');
    expect(out.output_fields['proc.aname[2]']).toBeUndefined();
    expect(out.tags).toEqual([
      'T1555',
      'filesystem',
      'host',
      'maturity_stable',
      'mitre_credential_access',
      'zz',
    ]);
    // the received event is not modified
    expect(event.output_fields['user.name']).toBe('root');
  });

  it('refuses templates outside the subset, naming the key', () => {
    expect(() =>
      createEnricher({
        ...none,
        templatedfields: { bad: '{{ printf "%s" .x }}', ok: '{{ .a }}', worse: '{{ call .f }}' },
      }),
    ).toThrow(/templatedfields\.bad: .*printf.*templatedfields\.worse/);
  });
});
