import { alertmanagerOutput } from '@falconer/outputs-alertmanager';
import type { OutputDescriptor } from '@falconer/outputs-core';
import { datadogLogsOutput, datadogOutput } from '@falconer/outputs-datadog';
import { grafanaOnCallOutput, grafanaOutput } from '@falconer/outputs-grafana';
import { lokiOutput } from '@falconer/outputs-loki';
import { elasticsearchOutput } from '@falconer/outputs-elasticsearch';
import { influxdbOutput } from '@falconer/outputs-influxdb';
import { opsgenieOutput } from '@falconer/outputs-opsgenie';
import { pagerdutyOutput } from '@falconer/outputs-pagerduty';
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
  alertmanagerOutput,
  lokiOutput,
  pagerdutyOutput,
  opsgenieOutput,
  grafanaOutput,
  grafanaOnCallOutput,
  datadogOutput,
  datadogLogsOutput,
];
