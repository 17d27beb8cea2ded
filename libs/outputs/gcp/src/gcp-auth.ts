import type { GoogleAuth } from 'google-auth-library';
import { setting, type CreateContext } from '@falconer/outputs-core';

/** `gcp.credentials`: falcosidekick's base64-encoded service account JSON, shared by every GCP output. */
export const GCP_SHARED = {
  credentials: setting.string(
    'Base64 of a service account key JSON (empty = Application Default Credentials)',
    '',
    { shared: true, secret: true },
  ),
};

export const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** The decoded service account, or undefined (ADC); a bad value is reported at start. */
export function serviceAccount(b64: string, ctx: CreateContext): Record<string, unknown> | undefined {
  if (b64 === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    if (parsed === null || typeof parsed !== 'object') throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch {
    ctx.error('credentials', 'expected the base64 of a service account key JSON');
    return undefined;
  }
}

/**
 * Bearer tokens for Google's HTTP APIs. Without credentials and with an endpoint override (an emulator
 * or a test server) no token is sent: Application Default Credentials would look for a metadata server.
 */
export function tokenSource(
  account: Record<string, unknown> | undefined,
  overridden: boolean,
): () => Promise<string | undefined> {
  if (account === undefined && overridden) return () => Promise.resolve(undefined);
  let auth: GoogleAuth | undefined;
  return async () => {
    if (auth === undefined) {
      const { GoogleAuth } = await import('google-auth-library');
      auth = new GoogleAuth({ scopes: [SCOPE], ...(account ? { credentials: account } : {}) });
    }
    const token = await auth.getAccessToken();
    return token ?? undefined;
  };
}
