import {
  CHAT_DEFAULTS,
  defineOutput,
  HTTP_SETTINGS,
  postEachTo,
  setting,
  webhookUrlSetting,
} from '@falconer/outputs-core';
import { formatTeamsAdaptiveCard, formatTeamsMessageCard } from './teams.format';

export const TEAMS_SETTINGS = {
  webhookurl: webhookUrlSetting('Teams incoming webhook or Workflows webhook URL'),
  activityimage: setting.string('Image shown next to the title', CHAT_DEFAULTS.icon),
  outputformat: setting.enum(
    '`all` (text and facts), `text` or `facts`',
    ['all', 'text', 'facts'] as const,
    'all',
  ),
  format: setting.enum(
    '`messagecard` (falcosidekick bytes, Office 365 connectors) or `adaptivecard` (Teams Workflows webhooks)',
    ['messagecard', 'adaptivecard'] as const,
    'messagecard',
    { extension: true },
  ),
  ...HTTP_SETTINGS,
};

export const teamsOutput = defineOutput({
  type: 'teams',
  title: 'Microsoft Teams',
  section: 'teams',
  enabledBy: ['webhookurl'],
  settings: TEAMS_SETTINGS,
  falcosidekick: 'outputs/teams.go',
  summary:
    "Posts one card per event to Microsoft Teams: falcosidekick's MessageCard (Office 365 connector webhooks), or an opt-in Adaptive Card for Teams Workflows webhooks, which no longer accept MessageCards.",
  example: `teams:
  webhookurl: https://prod-00.westeurope.logic.azure.com/workflows/XXXX/triggers/manual/paths/invoke?sig=YYYY
  format: adaptivecard
  outputformat: all
  minimumpriority: warning`,
  create: (v, ctx) => {
    const format = v.format === 'adaptivecard' ? formatTeamsAdaptiveCard : formatTeamsMessageCard;
    const cfg = { activityimage: v.activityimage, outputformat: v.outputformat };
    return postEachTo(v.webhookurl, v, ctx, (event) => format(event, cfg));
  },
});
