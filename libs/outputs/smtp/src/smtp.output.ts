import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { FalcoEvent } from '@falconer/contracts';
import {
  safeExcerpt,
  sendEach,
  type Output,
  type SendFailure,
  type SendResult,
  type TlsMaterial,
  untilAborted,
} from '@falconer/outputs-core';
import { customAuth, type AuthMechanism, type SaslCredentials } from './smtp.auth';
import { formatMail, toCrlf, type MailHeaders } from './smtp.format';

export interface SmtpConfig extends MailHeaders {
  host: string;
  port: number;
  /** STARTTLS required (falcosidekick's `tls: true`); false = plain SMTP, no STARTTLS. */
  tls: boolean;
  auth: AuthMechanism;
  credentials: SaslCredentials;
  material: TlsMaterial;
  secrets: readonly string[];
}

/** A nodemailer/SMTP error as a SendResult: 4xx replies and lost connections retried; 5xx and auth not. */
export function smtpFailure(err: unknown, secrets: readonly string[]): SendFailure {
  const e = err as { code?: string; responseCode?: number; message?: string } | undefined;
  const detail = safeExcerpt(`SMTP: ${e?.message ?? String(err)}`, secrets, 400);
  const code = e?.code ?? '';
  const reply = e?.responseCode ?? 0;
  if (code === 'EAUTH' || reply === 530 || reply === 535)
    return { ok: false, retryable: false, reason: 'auth_error', detail };
  if (reply >= 400 && reply < 500) return { ok: false, retryable: true, reason: 'server_error', detail };
  if (reply >= 500) return { ok: false, retryable: false, reason: 'client_error', detail };
  if (code === 'ETLS' || code === 'EENVELOPE' || code === 'EMESSAGE') {
    return { ok: false, retryable: false, reason: 'client_error', detail };
  }
  return { ok: false, retryable: true, reason: code === 'ETIMEDOUT' ? 'timeout' : 'network', detail };
}

/**
 * Mails each event as falcosidekick does (its subject, headers and text/html bodies, byte for byte)
 * through one pooled SMTP connection kept for the output's lifetime and re-opened when it drops.
 */
export class SmtpOutput implements Output {
  private transport: Promise<Transporter<SMTPPool.SentMessageInfo>> | undefined;
  private readonly options: SMTPPool.Options;
  private readonly to: string[];

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: SmtpConfig,
  ) {
    this.to = config.to.replace(/ /g, '').split(',');
    const mech = config.auth;
    this.options = {
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      host: config.host,
      port: config.port,
      secure: false,
      requireTLS: config.tls,
      ignoreTLS: !config.tls,
      tls: {
        servername: config.host,
        minVersion: 'TLSv1.2',
        ...(config.material.ca ? { ca: config.material.ca } : {}),
      },
      ...(mech === 'none'
        ? {}
        : {
            // nodemailer only authenticates with a user set; the mechanism's own handler sends the exchange
            auth: { type: 'custom', method: mech.toUpperCase(), user: config.credentials.user || 'falconer' },
            customAuth: customAuth(mech, config.credentials),
          }),
    } as SMTPPool.Options;
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (e) => this.mail(e, signal));
  }

  private async mail(event: FalcoEvent, signal: AbortSignal): Promise<SendResult> {
    const raw = toCrlf(formatMail(event, this.config));
    // nodemailer is loaded on the first mail, so a router without this output does not load it
    this.transport ??= import('nodemailer').then(({ default: m }) => m.createTransport(this.options));
    const sent = this.transport
      .then((t) => t.sendMail({ envelope: { from: this.config.from, to: this.to }, raw }))
      .then((): SendResult => ({ ok: true }))
      .catch((err: unknown) => smtpFailure(err, this.config.secrets));
    return untilAborted(sent, signal, 'SMTP send');
  }

  async close(): Promise<void> {
    const t = await this.transport;
    this.transport = undefined;
    t?.close();
  }
}
