import { describe, expect, it } from 'vitest';
import { LosslessNumber } from '@falconer/contracts';
import { compileTemplate, TemplateError } from './template';

describe('Go template subset', () => {
  const data = {
    Rule: 'Terminal shell',
    Hostname: 'worker-1',
    Tags: ['a', 'b'],
    OutputFields: { 'user.name': 'root', n: new LosslessNumber('1507591916746609046'), empty: '' },
  };

  it.each([
    ['Alert: {{ .Rule }} on {{ .Hostname }}', 'Alert: Terminal shell on worker-1'],
    ['{{ index .OutputFields "user.name" }}', 'root'],
    ['{{ index .OutputFields "n" }}', '1507591916746609046'],
    ['{{ or (index .OutputFields "missing") "unknown" }}', 'unknown'],
    ['{{ or (index .OutputFields "empty") (index .OutputFields "user.name") }}', 'root'],
    ['{{ .Tags }}', '[a b]'],
    ['{{ .Missing }}', '<no value>'],
    ['a {{- " b " -}} c', 'a b c'],
    ['no actions', 'no actions'],
    ['{{ not .Rule }}', 'false'],
  ])('%s → %s', (src, expected) => {
    expect(compileTemplate(src)(data)).toBe(expected);
  });

  it.each([
    '{{ printf "%s" .Rule }}',
    '{{ .Rule | html }}',
    '{{ index .OutputFields }}',
    '{{ ',
    '{{}}',
    '{{ call .X }}',
    '{{ range .Tags }}',
  ])('refuses %s', (src) => {
    expect(() => compileTemplate(src)).toThrow(TemplateError);
  });

  it('never reaches the prototype chain', () => {
    expect(compileTemplate('{{ index . "constructor" }}|{{ .__proto__ }}')({})).toBe('<no value>|<no value>');
  });
});
