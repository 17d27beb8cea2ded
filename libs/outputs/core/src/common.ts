import type { CreateContext, HttpSettingValues } from './descriptor';
import { FALCONER_VERSION, loadTls, type HttpSenderOptions } from './http';
import { secretVariants } from './redact';

/**
 * The settings every HTTP output shares (`checkcert`, `mutualtls`, `customheaders`, `useragent`) turned
 * into sender options. TLS files are read here so a missing file is reported at start. Every secret of
 * the instance (its schema's secret settings, header values included) is scrubbed from error texts.
 */
export function httpOptions(
  values: Pick<HttpSettingValues, 'checkcert' | 'mutualtls' | 'customheaders' | 'useragent'>,
  ctx: CreateContext,
  extra: Partial<Pick<HttpSenderOptions, 'success'>> & { secrets?: readonly (string | undefined)[] } = {},
): HttpSenderOptions {
  const userAgent = values.useragent || ctx.userAgent || `Falconer/${ctx.version ?? FALCONER_VERSION}`;
  const { material, errors } = loadTls(ctx.tls, values.mutualtls);
  for (const e of errors) {
    const at = e.indexOf(': ');
    ctx.error(at > 0 ? e.slice(0, at) : 'mutualtls', at > 0 ? e.slice(at + 2) : e);
  }
  return {
    checkcert: values.checkcert,
    mutualtls: values.mutualtls,
    customHeaders: values.customheaders,
    userAgent,
    material,
    secrets: secretVariants([...ctx.secrets, ...(extra.secrets ?? [])]),
    ...(extra.success ? { success: extra.success } : {}),
  };
}
