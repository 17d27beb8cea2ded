import type { OutputDescriptor } from '@falconer/outputs-core';
import { elasticsearchOutput } from '@falconer/outputs-elasticsearch';
import { influxdbOutput } from '@falconer/outputs-influxdb';
import { slackOutput } from '@falconer/outputs-slack';
import { talonOutput, webhookOutput } from '@falconer/outputs-webhook';
import { webUiOutput } from '@falconer/outputs-webui';

/** Every output type of this build: the one list. Adding an output is one line here. */
export const OUTPUTS: readonly OutputDescriptor[] = [
  slackOutput,
  elasticsearchOutput,
  influxdbOutput,
  webhookOutput,
  talonOutput,
  webUiOutput,
];
