/**
 * falcosidekick's outputs (its `config.go` sections and the key that enables each), with Falconer's plan
 * for those it does not have yet. This is a fact about falcosidekick, not a list of Falconer's outputs:
 * which are supported is read from the registry's descriptors (a test keeps both and the README in step).
 */
export interface FalcosidekickOutput {
  /** Name in falcosidekick's docs. */
  title: string;
  /** Top-level section. */
  section: string;
  /** Dotted key, relative to the section, whose non-empty value enables it. */
  enabledBy: string;
  /** For outputs Falconer does not have: `planned` (tracked) or `not planned`, with the reason. */
  plan: 'planned' | 'not planned';
  note?: string;
}

const planned = (title: string, section: string, enabledBy: string, note?: string): FalcosidekickOutput => ({
  title,
  section,
  enabledBy,
  plan: 'planned',
  ...(note !== undefined ? { note } : {}),
});
const notPlanned = (
  title: string,
  section: string,
  enabledBy: string,
  note: string,
): FalcosidekickOutput => ({
  title,
  section,
  enabledBy,
  plan: 'not planned',
  note,
});

export const FALCOSIDEKICK_OUTPUTS: readonly FalcosidekickOutput[] = [
  // chat
  planned('Slack', 'slack', 'webhookurl'),
  planned('Rocket.Chat', 'rocketchat', 'webhookurl'),
  planned('Mattermost', 'mattermost', 'webhookurl'),
  planned('Microsoft Teams', 'teams', 'webhookurl'),
  planned('Webex', 'webex', 'webhookurl'),
  planned('Discord', 'discord', 'webhookurl'),
  planned('Google Chat', 'googlechat', 'webhookurl'),
  planned('Zoho Cliq', 'cliq', 'webhookurl'),
  planned('Telegram', 'telegram', 'token'),
  planned('Gotify', 'gotify', 'hostport'),
  // alerting
  planned('Alertmanager', 'alertmanager', 'hostport'),
  planned('Opsgenie', 'opsgenie', 'apikey'),
  planned('PagerDuty', 'pagerduty', 'routingkey'),
  planned('Grafana OnCall', 'grafanaoncall', 'webhookurl'),
  notPlanned('Alerta', 'alerta', 'hostport', 'rarely used; the webhook output covers its API'),
  // logs
  planned('Elasticsearch', 'elasticsearch', 'hostport'),
  planned('Loki', 'loki', 'hostport'),
  planned('Grafana', 'grafana', 'hostport'),
  planned('Splunk', 'splunk', 'host'),
  planned('SumoLogic', 'sumologic', 'receiverurl'),
  planned('OpenObserve', 'openobserve', 'hostport'),
  planned('Zincsearch', 'zincsearch', 'hostport'),
  planned('Quickwit', 'quickwit', 'hostport'),
  planned('Datadog', 'datadog', 'apikey'),
  planned('Datadog Logs', 'datadoglogs', 'apikey'),
  planned('Dynatrace', 'dynatrace', 'apiurl'),
  planned('Syslog', 'syslog', 'host'),
  notPlanned('Logstash', 'logstash', 'address', 'Logstash takes the webhook output (http input) or syslog'),
  // observability
  planned('InfluxDB', 'influxdb', 'hostport'),
  planned('OTLP traces', 'otlp', 'traces.endpoint'),
  planned('OTLP logs', 'otlp', 'logs.endpoint'),
  notPlanned(
    'OTLP metrics',
    'otlp',
    'metrics.endpoint',
    "Falconer's own metrics are on /metrics (Prometheus)",
  ),
  notPlanned('StatsD', 'statsd', 'forwarder', 'Falconer exposes Prometheus metrics on /metrics instead'),
  notPlanned(
    'DogStatsD',
    'dogstatsd',
    'forwarder',
    'Falconer exposes Prometheus metrics on /metrics instead',
  ),
  notPlanned('Wavefront', 'wavefront', 'endpointhost', 'the product (VMware Tanzu Observability) is retired'),
  notPlanned('Spyderbat', 'spyderbat', 'orguid', 'needs a Spyderbat account to build and test against'),
  notPlanned('StackState', 'stackstate', 'hostport', 'no way to test it here; the webhook output covers it'),
  // brokers and stores
  planned('NATS', 'nats', 'hostport'),
  planned('STAN (NATS Streaming)', 'stan', 'hostport', 'deprecated upstream: accepted and logged'),
  planned('MQTT', 'mqtt', 'broker'),
  planned('RabbitMQ', 'rabbitmq', 'url'),
  planned('Redis', 'redis', 'address'),
  planned('Kafka', 'kafka', 'hostport'),
  notPlanned('Kafka REST', 'kafkarest', 'address', 'the Kafka output speaks to brokers directly'),
  planned('TimescaleDB', 'timescaledb', 'host'),
  planned('SMTP (email)', 'smtp', 'hostport'),
  notPlanned('Supabase', 'supabase', 'host', 'PostgreSQL-compatible: use the TimescaleDB/PostgreSQL output'),
  // clouds
  planned('AWS Lambda', 'aws', 'lambda.functionname'),
  planned('AWS SQS', 'aws', 'sqs.url'),
  planned('AWS SNS', 'aws', 'sns.topicarn'),
  planned('AWS CloudWatch Logs', 'aws', 'cloudwatchlogs.loggroup'),
  planned('AWS S3', 'aws', 's3.bucket'),
  planned('AWS Kinesis', 'aws', 'kinesis.streamname'),
  planned('AWS Security Lake', 'aws', 'securitylake.bucket'),
  planned('GCP Pub/Sub', 'gcp', 'pubsub.topic'),
  planned('GCP Storage', 'gcp', 'storage.bucket'),
  planned('GCP Cloud Functions', 'gcp', 'cloudfunctions.name'),
  planned('GCP Cloud Run', 'gcp', 'cloudrun.endpoint'),
  notPlanned(
    'GCP Security Command Center',
    'gcp',
    'securitycommandcenter.sourcename',
    'no local test server',
  ),
  planned('Azure Event Hubs', 'azure', 'eventhub.name'),
  notPlanned('Azure Sentinel', 'azuresentinel', 'workspaceid', 'no local test server'),
  planned('Yandex S3', 'yandex', 's3.bucket'),
  planned('Yandex Data Streams', 'yandex', 'datastreams.streamname'),
  // automation
  planned('Webhook', 'webhook', 'address'),
  planned('CloudEvents', 'cloudevents', 'address'),
  planned('Falco Talon', 'talon', 'address'),
  planned('Node-RED', 'nodered', 'address'),
  planned('n8n', 'n8n', 'address'),
  planned('Tekton', 'tekton', 'eventlistener'),
  planned('OpenFaaS', 'openfaas', 'functionname'),
  planned('Fission', 'fission', 'function'),
  planned('Kubeless', 'kubeless', 'function', 'unmaintained upstream'),
  planned('Policy Report', 'policyreport', 'enabled'),
  planned('falcosidekick-ui', 'webui', 'url'),
];
