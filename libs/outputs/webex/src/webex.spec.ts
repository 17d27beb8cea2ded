import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { webexOutput } from './webex.descriptor';
import { formatWebex } from './webex.format';

const SECRET = '/v1/webhooks/incoming/w3b3xS3cr3tH00kId';

// Expected markdown derived from falcosidekick's outputs/webex.go (its `md` template, run by text/template).
const MARKDOWN =
  "# Falco Rule 'Write below binary dir'\n\n" +
  '### 16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)\n\n' +
  'Additional informations:\n' +
  '  * Hostname: falco-node-1\n' +
  '  * Source:   syscall  \n' +
  '  * Priority: Error\n' +
  '  * Tags:\n' +
  '    \n    * filesystem\n    \n    * mitre_persistence\n    \n' +
  '  * Fields:\n' +
  '\t\n\t* evt.time: 1507591916746609046\n\t\n\t* fd.name: /bin/hack\n\t\n\t* proc.cmdline: touch /bin/hack\n\t\n\t* user.name: root\n\t\n';

describe('Webex body for the sample event, byte for byte (falcosidekick outputs/webex.go)', () => {
  it('the markdown template with its blank lines and trailing spaces', () => {
    expect(formatWebex(sampleEvent())).toBe(`{"markdown":${JSON.stringify(MARKDOWN)}}\n`);
  });

  it('Go escaping of <, > and &; a null field prints <no value> as text/template does', () => {
    const body = formatWebex(secondEvent({ output_fields: { a: null } }));
    expect(body).toContain('user=root \\u003cNA\\u003e \\u0026 co');
    expect(JSON.parse(body).markdown).toContain('\n\t* a: <no value>\n');
  });
});

outputContract({
  name: 'webex',
  make: (url) =>
    createOutput(
      webexOutput,
      { name: 'webex', type: 'webex', path: 'webex', settings: { webhookurl: `${url}${SECRET}` } },
      {},
    ).output,
  secrets: ['w3b3xS3cr3tH00kId'],
  okReply: () => ({ status: 204 }),
  checkRequest: (req) => {
    expect(req.url).toBe(SECRET);
    expect(req.text).toBe(formatWebex(sampleEvent()));
  },
});
