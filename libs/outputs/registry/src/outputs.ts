import { AWS_OUTPUTS } from '@falconer/outputs-aws';
import { azureEventHubOutput } from '@falconer/outputs-azure';
import type { OutputDescriptor } from '@falconer/outputs-core';
import { GCP_OUTPUTS } from '@falconer/outputs-gcp';
import { elasticsearchOutput } from '@falconer/outputs-elasticsearch';
import { influxdbOutput } from '@falconer/outputs-influxdb';
import { kafkaOutput } from '@falconer/outputs-kafka';
import { mqttOutput } from '@falconer/outputs-mqtt';
import { natsOutput, stanOutput } from '@falconer/outputs-nats';
import { rabbitmqOutput } from '@falconer/outputs-rabbitmq';
import { redisOutput } from '@falconer/outputs-redis';
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
  natsOutput,
  stanOutput,
  redisOutput,
  mqttOutput,
  rabbitmqOutput,
  kafkaOutput,
  ...AWS_OUTPUTS,
  ...GCP_OUTPUTS,
  azureEventHubOutput,
];
