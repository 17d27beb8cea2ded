import { describe, expect, it } from 'vitest';
import { SettingsReader } from './settings';

describe('SettingsReader', () => {
  it('collects every error and never echoes secret values', () => {
    const r = new SettingsReader(
      {
        customheaders: 'Authorization Bearer s3cret',
        checkcert: 'perhaps',
        password: ['x'],
        batching: { enabled: 'yes' },
        'signing.secret': 'abc',
      },
      'webhook',
      new Set(['customheaders', 'password', 'signing.secret']),
    );
    expect(r.map('customheaders')).toEqual({});
    expect(r.bool('checkcert', true)).toBe(true);
    expect(r.string('password')).toBe('');
    expect(r.bool('batching.enabled', false)).toBe(true);
    expect(r.string('signing.secret')).toBe('abc');
    expect(r.errors).toEqual([
      'webhook.customheaders: expected key:value pairs separated by commas',
      'webhook.checkcert: expected true or false, got "perhaps"',
      'webhook.password: expected a string',
    ]);
  });
});
