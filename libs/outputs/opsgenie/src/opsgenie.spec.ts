import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { opsgenieOutput } from './opsgenie.descriptor';
import { formatOpsgenie } from './opsgenie.format';

const KEY = '0123abcd-0123-abcd-0123-0123456789ab';
const OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';

describe('Opsgenie alert body (falcosidekick outputs/opsgenie.go, newOpsgeniePayload)', () => {
  it('the sample event, byte for byte', () => {
    expect(formatOpsgenie(sampleEvent())).toBe(
      `{"message":"${OUTPUT}","entity":"Falcosidekick","description":"Write below binary dir",` +
        '"details":{"fd_name":"/bin/hack","hostname":"falco-node-1","priority":"Error","proc_cmdline":"touch /bin/hack",' +
        '"rule":"Write below binary dir","source":"syscall","tags":"filesystem, mitre_persistence","user_name":"root"},' +
        '"priority":"P3"}\n',
    );
  });

  it('priorities P1–P5', () => {
    const p = (priority: Parameters<typeof sampleEvent>[0]) =>
      JSON.parse(formatOpsgenie(sampleEvent(priority))).priority;
    expect(p({ priority: 'Emergency' })).toBe('P1');
    expect(p({ priority: 'Alert' })).toBe('P1');
    expect(p({ priority: 'Critical' })).toBe('P2');
    expect(p({ priority: 'Warning' })).toBe('P4');
    expect(p({ priority: 'Debug' })).toBe('P5');
    expect(JSON.parse(formatOpsgenie(secondEvent())).details.k8s_ns_name).toBe('shop');
  });
});

outputContract({
  name: 'opsgenie',
  make: (url) =>
    createOutput(opsgenieOutput, {
      name: 'opsgenie',
      type: 'opsgenie',
      path: 'opsgenie',
      settings: { apikey: KEY, endpoint: `${url}/v2/alerts` },
    }).output,
  secrets: [KEY],
  okReply: () => ({ status: 202, body: '{"result":"Request will be processed","requestId":"r"}' }),
  checkRequest: (req) => {
    expect(req.url).toBe('/v2/alerts');
    expect(req.headers['authorization']).toBe(`GenieKey ${KEY}`);
    expect(req.text).toBe(formatOpsgenie(sampleEvent()));
  },
});
