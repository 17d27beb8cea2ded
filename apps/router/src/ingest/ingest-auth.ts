import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { fromOtherSite, ReplayGuard, SIGNATURE_HEADER, verifySignedOnce } from '@falconer/util';
import type { IngestRefusal } from './ingest-errors';

export interface IngestAuthConfig {
  tokens: readonly string[];
  hmacsecret: string;
  /** Accept POSTs a browser sent from a web page on another site (off by default). */
  allowbrowsers?: boolean;
}

/**
 * A web page can make any visitor's browser POST to a router it can reach (a `no-cors` `text/plain`
 * request needs no preflight); Falco and other senders do not send `Origin`. Finding 3 of issue 20: such a
 * request became a signed webhook and a pod deletion.
 */
const browserRefusal: IngestRefusal = {
  status: 403,
  body: {
    error: 'forbidden',
    message: 'ingest refuses requests sent by a browser from another site (auth.ingest.allowbrowsers)',
  },
  headers: {},
};

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Opt-in ingest authentication (spec/security.md): bearer tokens and/or HMAC-signed bodies
 * (`X-Falconer-Signature: t=<unix>,v1=<hex hmac-sha256 of "<t>.<body>">`). With neither configured every
 * sender is accepted, as in falcosidekick, except a browser on another site. Returns undefined when the
 * request may go on.
 */
export function createIngestAuth(config: IngestAuthConfig, now: () => number = Date.now) {
  const tokens = config.tokens.filter((t) => t !== '');
  const secret = config.hmacsecret;
  const browsers = config.allowbrowsers === true;
  if (tokens.length === 0 && secret === '') {
    if (browsers) return undefined;
    return (headers: IncomingHttpHeaders): IngestRefusal | undefined =>
      fromOtherSite(headers) ? browserRefusal : undefined;
  }
  const replays = new ReplayGuard();
  const refusal = (message: string): IngestRefusal => ({
    status: 401,
    body: { error: 'unauthorized', message },
    headers: { 'www-authenticate': 'Bearer realm="falconer"' },
  });
  return (headers: IncomingHttpHeaders, body: Buffer): IngestRefusal | undefined => {
    if (!browsers && fromOtherSite(headers)) return browserRefusal;
    const auth = headers['authorization'];
    if (tokens.length > 0 && typeof auth === 'string' && auth.startsWith('Bearer ')) {
      const presented = auth.slice(7).trim();
      if (tokens.some((t) => safeEqual(t, presented))) return undefined;
      return refusal('the bearer token is not valid');
    }
    const sig = headers[SIGNATURE_HEADER];
    if (secret !== '' && typeof sig === 'string') {
      const verified = verifySignedOnce(replays, secret, sig, body, Math.floor(now() / 1000));
      return verified.ok ? undefined : refusal(verified.reason);
    }
    return refusal(
      tokens.length > 0 && secret !== ''
        ? 'send Authorization: Bearer <token> or X-Falconer-Signature'
        : tokens.length > 0
          ? 'send Authorization: Bearer <token>'
          : 'send X-Falconer-Signature: t=<unix>,v1=<hmac-sha256>',
    );
  };
}

export type IngestAuth = NonNullable<ReturnType<typeof createIngestAuth>>;
