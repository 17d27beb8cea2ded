import { describe, expect, it } from 'vitest';
import { classifyStatus, parseRetryAfter, resultForStatus } from './classify';

describe('classifyStatus', () => {
  it.each([
    [200, true, false, 'ok'],
    [201, true, false, 'ok'],
    [204, true, false, 'ok'],
    [301, false, false, 'client_error'],
    [400, false, false, 'client_error'],
    [401, false, false, 'auth_error'],
    [403, false, false, 'auth_error'],
    [404, false, false, 'client_error'],
    [408, false, true, 'timeout'],
    [413, false, false, 'client_error'],
    [429, false, true, 'rate_limited'],
    [500, false, true, 'server_error'],
    [502, false, true, 'server_error'],
    [503, false, true, 'server_error'],
    [504, false, true, 'server_error'],
  ] as const)('%i → ok=%s retryable=%s %s', (status, ok, retryable, reason) => {
    expect(classifyStatus(status)).toEqual({ ok, retryable, reason });
  });

  it('honours an explicit success set', () => {
    const success = new Set([200, 201, 202, 204]);
    expect(classifyStatus(203, success).ok).toBe(false);
    expect(classifyStatus(202, success).ok).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  it('reads delta seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });
  it('reads an HTTP date, never negative', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores junk and caps at a day', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('99999999', now)).toBe(86_400_000);
  });
});

describe('resultForStatus', () => {
  it('attaches Retry-After only to retryable failures', () => {
    expect(resultForStatus({ status: 429, retryAfter: '3', detail: 'd' })).toEqual({
      ok: false,
      retryable: true,
      reason: 'rate_limited',
      retryAfterMs: 3000,
      detail: 'd',
    });
    expect(resultForStatus({ status: 400, retryAfter: '3', detail: 'd' })).toEqual({
      ok: false,
      retryable: false,
      reason: 'client_error',
      detail: 'd',
    });
    expect(resultForStatus({ status: 204, detail: '' })).toBeUndefined();
  });
});
