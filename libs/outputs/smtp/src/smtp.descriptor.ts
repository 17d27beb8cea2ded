import { COMMON_SETTINGS, defineOutput, loadTls, secretVariants, setting } from '@falconer/outputs-core';
import { SmtpOutput } from './smtp.output';

export const SMTP_SETTINGS = {
  hostport: setting.string('SMTP server `host:port` (enables the output, with `from` and `to`)', '', {
    required: true,
  }),
  tls: setting.bool('Require STARTTLS (TLS 1.2+); false = plain SMTP', true),
  authmechanism: setting.enum(
    'SASL mechanism',
    ['plain', 'oauthbearer', 'external', 'anonymous', 'none'] as const,
    'plain',
  ),
  user: setting.string('User (plain, oauthbearer)'),
  password: setting.string('Password (plain)', '', { secret: true }),
  token: setting.string('OAuth bearer token (oauthbearer)', '', { secret: true }),
  identity: setting.string('Authorization identity (plain, external)'),
  trace: setting.string('Trace string (anonymous)'),
  from: setting.string('Sender address', '', { required: true }),
  to: setting.string('Recipients, comma-separated', '', { required: true }),
  outputformat: setting.enum(
    '`html` (multipart: text and html) or `text`',
    ['html', 'text'] as const,
    'html',
  ),
  ...COMMON_SETTINGS,
};

export const smtpOutput = defineOutput({
  type: 'smtp',
  title: 'SMTP (email)',
  section: 'smtp',
  enabledBy: ['hostport'],
  settings: SMTP_SETTINGS,
  falcosidekick: 'outputs/smtp.go',
  summary:
    "Mails each event with falcosidekick's subject (`[Priority] output`) and bodies (text, or text and html), over one kept SMTP connection with STARTTLS and SASL PLAIN, OAUTHBEARER, EXTERNAL or ANONYMOUS.",
  example: `smtp:
  hostport: smtp.example.com:587
  user: falco@example.com
  password: change-me
  from: falco@example.com
  to: soc@example.com, oncall@example.com
  outputformat: html
  minimumpriority: error`,
  create: (values, ctx) => {
    const m = /^(.*):([0-9]+)$/.exec(values.hostport);
    if (values.hostport !== '' && m === null) ctx.error('hostport', `"${values.hostport}" is not host:port`);
    const host = m?.[1] ?? '';
    const port = Number(m?.[2] ?? 25);
    if (values.authmechanism === 'oauthbearer' && values.token === '')
      ctx.error('token', 'required by authmechanism oauthbearer');
    const { material, errors } = loadTls(ctx.tls, false);
    for (const e of errors) ctx.error('tls', e);
    return new SmtpOutput(ctx.name, ctx.type, {
      host,
      port,
      tls: values.tls,
      auth: values.authmechanism,
      credentials: {
        user: values.user,
        password: values.password,
        token: values.token,
        identity: values.identity,
        trace: values.trace,
        host,
        port,
      },
      material,
      from: values.from,
      to: values.to,
      outputformat: values.outputformat,
      secrets: secretVariants(ctx.secrets),
    });
  },
});
