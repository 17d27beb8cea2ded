import { defineOutput, HTTP_SETTINGS, postEachTo, setting } from '@falconer/outputs-core';
import { formatTelegram } from './telegram.format';

export const TELEGRAM_SETTINGS = {
  token: setting.string('Bot token (enables the output, with `chatid`)', '', {
    secret: true,
    required: true,
  }),
  chatid: setting.string('Chat to post to', '', { required: true }),
  messagethreadid: setting.string('Topic (message thread) of a forum chat'),
  host: setting.string('Bot API server (a self-hosted one, or a proxy)', 'https://api.telegram.org'),
  ...HTTP_SETTINGS,
};

export const telegramOutput = defineOutput({
  type: 'telegram',
  title: 'Telegram',
  section: 'telegram',
  enabledBy: ['token'],
  settings: TELEGRAM_SETTINGS,
  falcosidekick: 'outputs/telegram.go',
  summary:
    "Sends one message per event through a Telegram bot (`sendMessage`): falcosidekick's MarkdownV2 text with the rule, time, source, hostname, tags and fields.",
  example: `telegram:
  token: "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
  chatid: "-1001234567890"
  minimumpriority: error`,
  create: (v, ctx) => {
    let host = v.host.replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/i.test(host) || !URL.canParse(host)) {
      ctx.error('host', 'expected an http(s) URL');
      host = 'http://invalid';
    }
    return postEachTo(`${host}/bot${v.token}/sendMessage`, v, ctx, (event) => formatTelegram(event, v));
  },
});
