import type SMTPConnection from 'nodemailer/lib/smtp-connection';

export type AuthMechanism = 'plain' | 'oauthbearer' | 'external' | 'anonymous' | 'none';

export interface SaslCredentials {
  user: string;
  password: string;
  token: string;
  identity: string;
  trace: string;
  /** For OAUTHBEARER's host and port. */
  host: string;
  port: number;
}

/**
 * The initial client response of each mechanism, as falcosidekick's SASL client (emersion/go-sasl)
 * builds it: PLAIN `identity\0user\0password`, OAUTHBEARER `n,a=user,\x01host=…\x01port=…\x01auth=Bearer
 * token\x01\x01`, EXTERNAL the identity, ANONYMOUS the trace.
 */
export function initialResponse(mech: Exclude<AuthMechanism, 'none'>, c: SaslCredentials): string {
  switch (mech) {
    case 'plain':
      return `${c.identity}\0${c.user}\0${c.password}`;
    case 'oauthbearer':
      return (
        `n,${c.user !== '' ? `a=${c.user}` : ''},` +
        (c.host !== '' ? `\x01host=${c.host}` : '') +
        (c.port !== 0 ? `\x01port=${c.port}` : '') +
        `\x01auth=Bearer ${c.token}\x01\x01`
      );
    case 'external':
      return c.identity;
    case 'anonymous':
      return c.trace;
  }
}

/** `AUTH <MECH> <base64>` (`=` for an empty response, as go-smtp sends it). */
export function authCommand(mech: Exclude<AuthMechanism, 'none'>, c: SaslCredentials): string {
  const ir = Buffer.from(initialResponse(mech, c), 'utf8').toString('base64');
  return `AUTH ${mech.toUpperCase()} ${ir === '' ? '=' : ir}`;
}

/** A nodemailer custom handler sending the mechanism's one-step exchange. */
export function customAuth(
  mech: Exclude<AuthMechanism, 'none'>,
  c: SaslCredentials,
): SMTPConnection.CustomAuthenticationHandlers {
  return {
    [mech.toUpperCase()]: async (ctx: SMTPConnection.CustomAuthenticationContext) => {
      const res = await ctx.sendCommand(authCommand(mech, c));
      if (res.status !== 235) throw new Error(res.response);
      return true;
    },
  };
}
