import { compileTemplate } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_OUTPUT, sampleEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { cliqOutput } from './cliq.descriptor';
import { formatCliq, type CliqFormat } from './cliq.format';

const PATH = '/api/v2/channelsbyname/falco/message?zapikey=cl1qZ4p1K3yS3cr3t';
const ICON =
  'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png';
const OUT = SAMPLE_OUTPUT;
const r = (field: string, value: string): string => `{"field":"${field}","value":"${value}"}`;
const TABLE =
  '{"type":"table","data":{"headers":["field","value"],"rows":[' +
  [
    r('rule', 'Write below binary dir'),
    r('priority', 'Error'),
    r('hostname', 'falco-node-1'),
    r('fd.name', '/bin/hack'),
    r('proc.cmdline', 'touch /bin/hack'),
    r('user.name', 'root'),
    r('time', '2019-05-17 15:31:56.746609046 +0000 UTC'),
  ].join(',') +
  ']}}';
const BOT = `{"name":"Falcosidekick","image":"${ICON}"}`;
const cfg = (over: Partial<CliqFormat> = {}): CliqFormat => ({
  icon: ICON,
  outputformat: 'all',
  useemoji: false,
  ...over,
});

// Expected bytes derived from falcosidekick's outputs/cliq.go (newCliqPayload, json.Encoder).
describe('Zoho Cliq body for the sample event, byte for byte (falcosidekick outputs/cliq.go)', () => {
  it('outputformat all: the output as text, the table slide (no source, no tags)', () => {
    expect(formatCliq(sampleEvent(), cfg())).toBe(`{"text":"${OUT}","bot":${BOT},"slides":[${TABLE}]}\n`);
  });

  it('messageformat takes the text and moves the output to a text slide; emoji first', () => {
    const messageformat = compileTemplate('{{ .Rule }} on {{ .Hostname }}');
    expect(formatCliq(sampleEvent(), cfg({ messageformat, useemoji: true }))).toBe(
      `{"text":"\u{1F6A8} Write below binary dir on falco-node-1","bot":${BOT},"slides":[{"type":"text","data":"${OUT}"},${TABLE}]}\n`,
    );
  });

  it('text format without messageformat: no slides; an empty icon falls back as in falcosidekick', () => {
    expect(formatCliq(sampleEvent(), cfg({ outputformat: 'text', icon: '' }))).toBe(
      `{"text":"${OUT}","bot":{"name":"Falcosidekick","image":"https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick.png"}}\n`,
    );
  });
});

outputContract({
  name: 'cliq',
  make: (url) =>
    createOutput(
      cliqOutput,
      { name: 'cliq', type: 'cliq', path: 'cliq', settings: { webhookurl: `${url}${PATH}` } },
      {},
    ).output,
  secrets: ['cl1qZ4p1K3yS3cr3t'],
  okReply: () => ({ status: 204 }),
  checkRequest: (req) => {
    expect(req.url).toBe(PATH);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.text).toBe(formatCliq(sampleEvent(), cfg()));
  },
});
