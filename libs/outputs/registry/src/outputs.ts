import { AWS_OUTPUTS } from '@falconer/outputs-aws';
import { azureEventHubOutput } from '@falconer/outputs-azure';
import type { OutputDescriptor } from '@falconer/outputs-core';
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
  ...AWS_OUTPUTS,
  ...GCP_OUTPUTS,
  azureEventHubOutput,
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
