import { LosslessNumber, type FalcoEvent, type FieldValue } from '@falconer/contracts';

const fields = (o: Record<string, FieldValue>): Record<string, FieldValue> =>
  Object.assign(Object.create(null) as Record<string, FieldValue>, o);

/** The `output` of sampleEvent(). */
export const SAMPLE_OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';

/**
 * falcosidekick's documented sample event (README "Write below binary dir"), enriched: a uuid, sorted
 * tags, a hostname, and a 19-digit number that must leave exactly as it came in.
 */
export function sampleEvent(over: Partial<FalcoEvent> = {}): FalcoEvent {
  return {
    uuid: 'a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b',
    output: SAMPLE_OUTPUT,
    priority: 'Error',
    rule: 'Write below binary dir',
    time: '2019-05-17T15:31:56.746609046Z',
    output_fields: fields({
      'evt.time': new LosslessNumber('1507591916746609046'),
      'fd.name': '/bin/hack',
      'proc.cmdline': 'touch /bin/hack',
      'user.name': 'root',
    }),
    source: 'syscall',
    tags: ['filesystem', 'mitre_persistence'],
    hostname: 'falco-node-1',
    ...over,
  };
}

/**
 * What falcosidekick's `json.Marshal(falcopayload)` writes for `sampleEvent()` (types/types.go field
 * order, output fields sorted, the 19-digit number as is): the body of its NATS, STAN, MQTT, RabbitMQ,
 * Redis and Kafka messages.
 */
export const SAMPLE_EVENT_JSON =
  '{"uuid":"a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b","output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)","priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609046Z","output_fields":{"evt.time":1507591916746609046,"fd.name":"/bin/hack","proc.cmdline":"touch /bin/hack","user.name":"root"},"source":"syscall","tags":["filesystem","mitre_persistence"],"hostname":"falco-node-1"}';

/** A second, different event for batches. */
export function secondEvent(over: Partial<FalcoEvent> = {}): FalcoEvent {
  return {
    uuid: 'b7e4f5d3-2c3e-4f60-9bac-1d2e3f4a5b6c',
    output:
      '10:15:02.482910331: Notice A shell was spawned in a container with an attached terminal (user=root <NA> & co)',
    priority: 'Notice',
    rule: 'Terminal shell in container',
    time: '2026-11-20T10:15:02.482910331Z',
    output_fields: fields({
      'container.id': '4f1c2a9b7d3e',
      'container.image.repository': 'docker.io/library/nginx',
      'k8s.ns.name': 'shop',
      'k8s.pod.name': 'web-6d4cf56db6-q8x2z',
      'proc.cmdline': 'bash',
      'proc.tty': 34816,
      'user.loginuid': -1,
      'user.name': 'root',
    }),
    source: 'syscall',
    tags: ['T1059', 'container', 'shell'],
    hostname: 'worker-1',
    ...over,
  };
}

const SAMPLE_ATTACHMENT_FIELDS: Readonly<Record<string, readonly [string, boolean]>> = {
  rule: ['Write below binary dir', true],
  priority: ['Error', true],
  source: ['syscall', true],
  hostname: ['falco-node-1', true],
  tags: ['filesystem, mitre_persistence', true],
  'fd.name': ['/bin/hack', true],
  'proc.cmdline': ['touch /bin/hack', true],
  'user.name': ['root', true],
  time: ['2019-05-17 15:31:56.746609046 +0000 UTC', false],
};

/**
 * sampleEvent()'s Slack-style attachment fields as falcosidekick writes them (`{"title","value","short"}`),
 * in the order a destination's code appends them (Slack, Mattermost and Rocket.Chat differ).
 */
export function sampleAttachmentFields(order: readonly string[]): string {
  return `[${order
    .map((t) => {
      const [value, short] = SAMPLE_ATTACHMENT_FIELDS[t] ?? ['', true];
      return `{"title":"${t}","value":"${value}","short":${String(short)}}`;
    })
    .join(',')}]`;
}
