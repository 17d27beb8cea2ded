import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { telegramOutput } from './telegram.descriptor';
import { formatTelegram, markdownV2 } from './telegram.format';

const TOKEN = '123456:t3l3gr4mB0tS3cr3t';

// Expected text derived from falcosidekick's outputs/telegram.go (telegramMarkdownV2Tmpl, markdownV2EscapeText).
const TEXT =
  '*\\[Falco\\] \\[Error\\] Write below binary dir*\n\n' +
  '• *Time*: 2019\\-05\\-17 15:31:56\\.746609046 \\+0000 UTC\n' +
  '• *Source*: syscall\n' +
  '• *Hostname*: falco\\-node\\-1\n' +
  '• *Tags*: filesystem mitre\\_persistence \n' +
  '• *Fields*:\n' +
  '\t  • *evt\\.time*: 1507591916746609046\n' +
  '\t  • *fd\\.name*: /bin/hack\n' +
  '\t  • *proc\\.cmdline*: touch /bin/hack\n' +
  '\t  • *user\\.name*: root\n' +
  '\n\n**Output**: 16:31:56\\.746609046: Error File below a known binary directory opened for writing ' +
  '\\(user\\=root command\\=touch /bin/hack file\\=/bin/hack\\)\n';

describe('Telegram body for the sample event, byte for byte (falcosidekick outputs/telegram.go)', () => {
  it('MarkdownV2 text, parse mode, no preview, chat id', () => {
    expect(formatTelegram(sampleEvent(), { chatid: '-100123', messagethreadid: '' })).toBe(
      `{"text":${JSON.stringify(TEXT)},"parse_mode":"MarkdownV2","disable_web_page_preview":true,"chat_id":"-100123"}\n`,
    );
  });

  it('message_thread_id when set; every reserved character escaped; a null field prints <nil>', () => {
    const body = JSON.parse(
      formatTelegram(sampleEvent({ output_fields: { 'x.y': null } }), { chatid: '1', messagethreadid: '42' }),
    );
    expect(body.message_thread_id).toBe('42');
    expect(body.text).toContain('\t  • *x\\.y*: <nil\\>\n');
    expect(markdownV2('_*[]()~`>#+-=|{}.!a')).toBe('\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!a');
  });
});

describe('Telegram configuration', () => {
  it('needs a chat id and an http(s) host; never echoes the token', () => {
    const { errors } = createOutput(
      telegramOutput,
      {
        name: 'telegram',
        type: 'telegram',
        path: 'telegram',
        settings: { token: TOKEN, host: 'api.telegram.org' },
      },
      {},
    );
    expect(errors).toEqual(['telegram.chatid: required', 'telegram.host: expected an http(s) URL']);
    expect(errors.join()).not.toContain('t3l3gr4m');
  });
});

outputContract({
  name: 'telegram',
  make: (url) =>
    createOutput(
      telegramOutput,
      {
        name: 'telegram',
        type: 'telegram',
        path: 'telegram',
        settings: { token: TOKEN, chatid: '-100123', host: `${url}/` },
      },
      {},
    ).output,
  secrets: ['t3l3gr4mB0tS3cr3t'],
  okReply: () => ({ status: 200, body: '{"ok":true,"result":{}}' }),
  checkRequest: (req) => {
    expect(req.url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(req.text).toBe(formatTelegram(sampleEvent(), { chatid: '-100123', messagethreadid: '' }));
  },
});
