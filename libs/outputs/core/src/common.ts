import type { OutputContext } from './factory';
import { FALCONER_VERSION, loadTls, type HttpSenderOptions } from './http';
import { secretVariants } from './redact';
import type { SettingsReader } from './settings';

/**
 * The settings every HTTP output shares (`checkcert`, `mutualtls`, `customheaders`, `useragent`) turned
 * into sender options. TLS files are read here so a missing file is reported at start.
 */
export function httpOptions(
  r: SettingsReader,
  ctx: OutputContext,
  secrets: readonly (string | undefined)[],
  extra: Partial<Pick<HttpSenderOptions, 'success'>> = {},
): HttpSenderOptions {
  const checkcert = r.bool('checkcert', true);
  const mutualtls = r.bool('mutualtls', false);
  const customHeaders = r.map('customheaders');
  const userAgent = r.string('useragent') || ctx.userAgent || `Falconer/${ctx.version ?? FALCONER_VERSION}`;
  const { material, errors } = loadTls(ctx.tls, mutualtls);
  for (const e of errors) r.errors.push(`${r.path}.${e}`);
  // Header values that carry credentials (Authorization, tokens) are secrets too.
  const headerSecrets = Object.entries(customHeaders)
    .filter(([k]) => /auth|token|key|secret|signature|cookie/i.test(k))
    .map(([, v]) => v);
  return {
    checkcert,
    mutualtls,
    customHeaders,
    userAgent,
    material,
    secrets: secretVariants([...secrets, ...headerSecrets]),
    ...extra,
  };
}
