import { describe, expect, it } from 'vitest';
import { fromOtherSite, isLoopback, sameOrigin } from './browser';

describe('sameOrigin', () => {
  const own = { host: '127.0.0.1:2801' };
  it('takes the router origin, listed origins and non-browser clients', () => {
    expect(sameOrigin({ ...own, origin: 'http://127.0.0.1:2801' }, false, [])).toBe(true);
    expect(sameOrigin({ ...own, origin: 'https://127.0.0.1:2801' }, false, [])).toBe(false);
    expect(sameOrigin({ ...own, origin: 'https://ops.example' }, false, ['https://ops.example'])).toBe(true);
    expect(sameOrigin(own, false, [])).toBe(true);
    expect(sameOrigin({ ...own, 'sec-fetch-site': 'cross-site' }, false, [])).toBe(false);
  });
  it('reads Origin: null (a no-referrer form post, or a sandboxed frame) by Sec-Fetch-Site', () => {
    expect(sameOrigin({ ...own, origin: 'null', 'sec-fetch-site': 'same-origin' }, false, [])).toBe(true);
    expect(sameOrigin({ ...own, origin: 'null', 'sec-fetch-site': 'cross-site' }, false, [])).toBe(false);
    expect(sameOrigin({ ...own, origin: 'null' }, false, [])).toBe(false);
  });
});

describe('fromOtherSite and isLoopback', () => {
  it('flag a page elsewhere and recognise this machine', () => {
    expect(fromOtherSite({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).toBe(true);
    expect(fromOtherSite({})).toBe(false);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });
});
