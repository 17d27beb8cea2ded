import { AWS_OUTPUTS } from '@falconer/outputs-aws';
import { azureEventHubOutput } from '@falconer/outputs-azure';
import type { OutputDescriptor } from '@falconer/outputs-core';
import { GCP_OUTPUTS } from '@falconer/outputs-gcp';
import { elasticsearchOutput } from '@falconer/outputs-elasticsearch';
import { influxdbOutput } from '@falconer/outputs-influxdb';
import { slackOutput } from '@falconer/outputs-slack';
import { talonOutput, webhookOutput } from '@falconer/outputs-webhook';
import { teamsOutput } from '@falconer/outputs-teams';
import { discordOutput } from '@falconer/outputs-discord';
import { mattermostOutput } from '@falconer/outputs-mattermost';
import { rocketchatOutput } from '@falconer/outputs-rocketchat';
import { googlechatOutput } from '@falconer/outputs-googlechat';
import { telegramOutput } from '@falconer/outputs-telegram';
import { webexOutput } from '@falconer/outputs-webex';
import { cliqOutput } from '@falconer/outputs-cliq';
import { gotifyOutput } from '@falconer/outputs-gotify';
import { webUiOutput } from '@falconer/outputs-webui';

/** Every output type of this build: the one list. Adding an output is one line here. */
export const OUTPUTS: readonly OutputDescriptor[] = [
  slackOutput,
  elasticsearchOutput,
  influxdbOutput,
  webhookOutput,
  talonOutput,
  webUiOutput,
  teamsOutput,
  discordOutput,
  mattermostOutput,
  rocketchatOutput,
  googlechatOutput,
  telegramOutput,
  webexOutput,
  cliqOutput,
  gotifyOutput,
  ...AWS_OUTPUTS,
  ...GCP_OUTPUTS,
  azureEventHubOutput,
];
