import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { dynatraceOutput } from './dynatrace.descriptor';
import { formatDynatrace } from './dynatrace.format';

const OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';

describe('Dynatrace log ingest body (falcosidekick outputs/dynatrace.go, newDynatracePayload)', () => {
  it('the sample event, byte for byte', () => {
    expect(formatDynatrace([sampleEvent()])).toBe(
      '[{"timestamp":"2019-05-17T15:31:56Z","event.id":"a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b",' +
        '"event.name":"Write below binary dir","event.provider":"Falco","severity":"Error","host.name":"falco-node-1",' +
        `"log.source":"syscall","content":{"output":"${OUTPUT}","output_fields":{"evt.time":1507591916746609046,` +
        '"fd.name":"/bin/hack","proc.cmdline":"touch /bin/hack","user.name":"root"},"tags":["filesystem","mitre_persistence"]},' +
        '"mitre.tactic":"mitre_persistence"}]\n',
    );
  });

  it('semantic attributes: MITRE technique, container, Kubernetes, process', () => {
    const [r] = JSON.parse(
      formatDynatrace([
        secondEvent({
          output_fields: Object.assign(Object.create(null), {
            ...secondEvent().output_fields,
            'proc.name': 'bash',
            'container.name': 'web',
            'k8s.pod.id': 'uid-1',
          }),
        }),
      ]),
    );
    expect(r).toMatchObject({
      'mitre.technique': 'T1059',
      'container.id': '4f1c2a9b7d3e',
      'container.name': 'web',
      'k8s.namespace.name': 'shop',
      'k8s.pod.name': 'web-6d4cf56db6-q8x2z',
      'k8s.pod.uid': 'uid-1',
      'process.executable.name': 'bash',
    });
    expect(r['mitre.tactic']).toBeUndefined();
  });
});

outputContract({
  name: 'dynatrace',
  make: (url) =>
    createOutput(dynatraceOutput, {
      name: 'dynatrace',
      type: 'dynatrace',
      path: 'dynatrace',
      settings: { apiurl: `${url}/api/`, apitoken: 'dt0c01.S3CR3T.T0K3N' },
    }).output,
  batch: [sampleEvent(), secondEvent()],
  secrets: ['dt0c01.S3CR3T.T0K3N'],
  checkRequest: (req) => {
    expect(req.url).toBe('/api/v2/logs/ingest');
    expect(req.headers['authorization']).toBe('Api-Token dt0c01.S3CR3T.T0K3N');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.text).toBe(formatDynatrace([sampleEvent(), secondEvent()]));
  },
});
