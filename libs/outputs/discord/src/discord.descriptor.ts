import {
  CHAT_DEFAULTS,
  defineOutput,
  HTTP_SETTINGS,
  postEachTo,
  setting,
  webhookUrlSetting,
} from '@falconer/outputs-core';
import { formatDiscord } from './discord.format';

export const DISCORD_SETTINGS = {
  webhookurl: webhookUrlSetting('Discord webhook URL'),
  icon: setting.string('Avatar URL of the sender', CHAT_DEFAULTS.icon),
  ...HTTP_SETTINGS,
};

export const discordOutput = defineOutput({
  type: 'discord',
  title: 'Discord',
  section: 'discord',
  enabledBy: ['webhookurl'],
  settings: DISCORD_SETTINGS,
  falcosidekick: 'outputs/discord.go',
  summary:
    "Posts one message per event to a Discord webhook: falcosidekick's embed (colour by priority, one inline field per output field).",
  example: `discord:
  webhookurl: https://discord.com/api/webhooks/000000000000000000/XXXX
  minimumpriority: warning`,
  create: (v, ctx) => postEachTo(v.webhookurl, v, ctx, (event) => formatDiscord(event, v.icon)),
});
