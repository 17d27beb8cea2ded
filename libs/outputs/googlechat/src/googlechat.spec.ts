import { compileTemplate } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_OUTPUT, sampleEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { googlechatOutput } from './googlechat.descriptor';
import { formatGoogleChat } from './googlechat.format';

const PATH = '/v1/spaces/AAAA/messages?key=g00gl3K3yS3cr3t&token=g00gl3T0k3nS3cr3t';
const OUT = SAMPLE_OUTPUT;
const w = (label: string, content: string): string =>
  `{"keyValue":{"topLabel":"${label}","content":"${content}"}}`;
const WIDGETS = [
  w('rule', 'Write below binary dir'),
  w('priority', 'Error'),
  w('source', 'syscall'),
  w('hostname', 'falco-node-1'),
  w('fd.name', '/bin/hack'),
  w('proc.cmdline', 'touch /bin/hack'),
  w('user.name', 'root'),
  w('tags', 'filesystem, mitre_persistence'),
  w('time', '2019-05-17 15:31:56.746609046 +0000 UTC'),
].join(',');

// Expected bytes derived from falcosidekick's outputs/googlechat.go (newGooglechatPayload, json.Encoder).
describe('Google Chat body for the sample event, byte for byte (falcosidekick outputs/googlechat.go)', () => {
  it('outputformat all without messageformat: the card only, with its empty header', () => {
    expect(formatGoogleChat(sampleEvent(), { outputformat: 'all' })).toBe(
      `{"cards":[{"header":{"title":"","subtitle":""},"sections":[{"widgets":[${WIDGETS}]}]}]}\n`,
    );
  });

  it('messageformat text above the card', () => {
    const messageformat = compileTemplate('{{ .Priority }}: {{ .Rule }}');
    expect(formatGoogleChat(sampleEvent(), { outputformat: 'all', messageformat })).toBe(
      `{"text":"Error: Write below binary dir","cards":[{"header":{"title":"","subtitle":""},"sections":[{"widgets":[${WIDGETS}]}]}]}\n`,
    );
    expect(formatGoogleChat(sampleEvent(), { outputformat: 'text', messageformat })).toBe(
      '{"text":"Error: Write below binary dir"}\n',
    );
  });

  it('text format without messageformat sends the output (deliberate difference: falcosidekick sends {})', () => {
    expect(formatGoogleChat(sampleEvent(), { outputformat: 'text' })).toBe(`{"text":"${OUT}"}\n`);
  });
});

outputContract({
  name: 'googlechat',
  make: (url) =>
    createOutput(
      googlechatOutput,
      {
        name: 'googlechat',
        type: 'googlechat',
        path: 'googlechat',
        settings: { webhookurl: `${url}${PATH}` },
      },
      {},
    ).output,
  secrets: ['g00gl3K3yS3cr3t', 'g00gl3T0k3nS3cr3t'],
  okReply: () => ({ status: 200, body: '{"name":"spaces/AAAA/messages/1"}' }),
  checkRequest: (req) => {
    expect(req.url).toBe(PATH);
    expect(req.text).toBe(formatGoogleChat(sampleEvent(), { outputformat: 'all' }));
  },
});
