import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReplayGuard, signBody, verifySignature, verifySignedOnce } from './signature';

describe('X-Falconer-Signature', () => {
  const body = '{"rule":"r"}\n';
  const now = 1_795_176_902;

  it('is t=<unix>,v1=<hex hmac-sha256 of "<t>.<body>">', () => {
    const expected = createHmac('sha256', 'k').update(`${now}.${body}`).digest('hex');
    expect(signBody('k', body, now)).toBe(`t=${now},v1=${expected}`);
  });

  it('verifies within the 5-minute window only', () => {
    const sig = signBody('k', body, now);
    expect(verifySignature('k', sig, body, now + 300)).toEqual({ ok: true });
    expect(verifySignature('k', sig, body, now - 300)).toEqual({ ok: true });
    expect(verifySignature('k', sig, body, now + 301)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('5-minute window'),
    });
  });

  it('refuses a wrong secret, a changed body, a missing or malformed header', () => {
    const sig = signBody('k', body, now);
    expect(verifySignature('other', sig, body, now)).toEqual({
      ok: false,
      reason: 'signature does not match the body',
    });
    expect(verifySignature('k', sig, body.replace('r', 's'), now).ok).toBe(false);
    expect(verifySignature('k', sig.replace(/t=\d+/, `t=${now + 1}`), body, now).ok).toBe(false);
    expect(verifySignature('k', undefined, body, now)).toEqual({
      ok: false,
      reason: 'missing X-Falconer-Signature header',
    });
    for (const bad of ['', 'v1=abc', `t=${now}`, 'garbage', `t=x,v1=${'0'.repeat(64)}`, `t=${now},v1=zz`]) {
      expect(verifySignature('k', bad, body, now).ok, bad).toBe(false);
    }
  });

  it('accepts any matching v1 (secret rotation) and works on bytes', () => {
    const old = signBody('old', body, now);
    const fresh = signBody('new', body, now).split(',')[1] as string;
    expect(verifySignature('new', `${old},${fresh}`, Buffer.from(body), now)).toEqual({ ok: true });
  });
});

describe('verifySignedOnce', () => {
  it('accepts a signed request once and refuses it again within the window, however the header is dressed', () => {
    const guard = new ReplayGuard();
    const now = 1_800_000_000;
    const body = '{"rule":"x"}';
    const header = signBody('k', body, now);
    expect(verifySignedOnce(guard, 'k', header, body, now)).toEqual({ ok: true });
    expect(verifySignedOnce(guard, 'k', header, body, now + 10)).toMatchObject({ ok: false });
    // extra entries do not make it a new request
    expect(verifySignedOnce(guard, 'k', `${header},v1=${'0'.repeat(64)}`, body, now + 10)).toMatchObject({
      ok: false,
    });
    expect(verifySignedOnce(guard, 'k', `t=1,${header}`, body, now + 10)).toMatchObject({ ok: false });
    // the same body signed at another second is another request
    expect(verifySignedOnce(guard, 'k', signBody('k', body, now + 1), body, now + 1)).toEqual({ ok: true });
  });
});
