import { alertmanagerOutput } from '@falconer/outputs-alertmanager';
import { AWS_OUTPUTS } from '@falconer/outputs-aws';
import { azureEventHubOutput } from '@falconer/outputs-azure';
import type { OutputDescriptor } from '@falconer/outputs-core';
import { datadogLogsOutput, datadogOutput } from '@falconer/outputs-datadog';
import { dynatraceOutput } from '@falconer/outputs-dynatrace';
import { GCP_OUTPUTS } from '@falconer/outputs-gcp';
import { cloudEventsOutput } from '@falconer/outputs-cloudevents';
import { fissionOutput } from '@falconer/outputs-fission';
import { kubelessOutput } from '@falconer/outputs-kubeless';
import { n8nOutput } from '@falconer/outputs-n8n';
import { nodeRedOutput } from '@falconer/outputs-nodered';
import { openFaasOutput } from '@falconer/outputs-openfaas';
import { policyReportOutput } from '@falconer/outputs-policyreport';
import { smtpOutput } from '@falconer/outputs-smtp';
import { syslogOutput } from '@falconer/outputs-syslog';
import { tektonOutput } from '@falconer/outputs-tekton';
import { timescaleDbOutput } from '@falconer/outputs-timescaledb';
import { elasticsearchOutput } from '@falconer/outputs-elasticsearch';
import { grafanaOnCallOutput, grafanaOutput } from '@falconer/outputs-grafana';
import { influxdbOutput } from '@falconer/outputs-influxdb';
import { lokiOutput } from '@falconer/outputs-loki';
import { openObserveOutput } from '@falconer/outputs-openobserve';
import { opsgenieOutput } from '@falconer/outputs-opsgenie';
import { otlpLogsOutput, otlpTracesOutput } from '@falconer/outputs-otlp';
import { pagerdutyOutput } from '@falconer/outputs-pagerduty';
import { quickwitOutput } from '@falconer/outputs-quickwit';
import { kafkaOutput } from '@falconer/outputs-kafka';
import { mqttOutput } from '@falconer/outputs-mqtt';
import { natsOutput, stanOutput } from '@falconer/outputs-nats';
import { rabbitmqOutput } from '@falconer/outputs-rabbitmq';
import { redisOutput } from '@falconer/outputs-redis';
import { slackOutput } from '@falconer/outputs-slack';
import { splunkOutput } from '@falconer/outputs-splunk';
import { sumoLogicOutput } from '@falconer/outputs-sumologic';
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
import { zincsearchOutput } from '@falconer/outputs-zincsearch';

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
  natsOutput,
  stanOutput,
  redisOutput,
  mqttOutput,
  rabbitmqOutput,
  kafkaOutput,
  ...AWS_OUTPUTS,
  ...GCP_OUTPUTS,
  azureEventHubOutput,
  alertmanagerOutput,
  lokiOutput,
  pagerdutyOutput,
  opsgenieOutput,
  grafanaOutput,
  grafanaOnCallOutput,
  datadogOutput,
  datadogLogsOutput,
  splunkOutput,
  sumoLogicOutput,
  openObserveOutput,
  zincsearchOutput,
  quickwitOutput,
  dynatraceOutput,
  otlpLogsOutput,
  otlpTracesOutput,
  cloudEventsOutput,
  nodeRedOutput,
  n8nOutput,
  tektonOutput,
  openFaasOutput,
  fissionOutput,
  kubelessOutput,
  policyReportOutput,
  timescaleDbOutput,
  smtpOutput,
  syslogOutput,
];
