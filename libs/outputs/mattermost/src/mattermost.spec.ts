import { compileTemplate } from '@falconer/falco';
import { CHAT_DEFAULTS, createOutput, type AttachmentConfig } from '@falconer/outputs-core';
import {
  outputContract,
  sampleAttachmentFields,
  SAMPLE_OUTPUT,
  sampleEvent,
} from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { mattermostOutput } from './mattermost.descriptor';
import { formatMattermost } from './mattermost.format';

const SECRET = '/hooks/m4tt3rm0stS3cr3tH00k';
const ICON = CHAT_DEFAULTS.icon;
const OUT = SAMPLE_OUTPUT;
const cfg = (over: Partial<AttachmentConfig> = {}): AttachmentConfig => ({
  username: 'Falcosidekick',
  icon: ICON,
  footer: 'https://github.com/falcosecurity/falcosidekick',
  outputformat: 'all',
  ...over,
});

// Expected bytes derived from falcosidekick's outputs/mattermost.go (newMattermostPayload, json.Encoder).
describe('Mattermost body for the sample event, byte for byte (falcosidekick outputs/mattermost.go)', () => {
  it('outputformat all: hostname right after rule, footer, no channel', () => {
    const fields = sampleAttachmentFields([
      'rule',
      'hostname',
      'priority',
      'source',
      'tags',
      'fd.name',
      'proc.cmdline',
      'user.name',
      'time',
    ]);
    expect(formatMattermost(sampleEvent(), cfg())).toBe(
      `{"username":"Falcosidekick","icon_url":"${ICON}","attachments":[{"fallback":"${OUT}","color":"#e20b0b","text":"${OUT}",` +
        `"fields":${fields},"footer":"https://github.com/falcosecurity/falcosidekick"}]}\n`,
    );
  });

  it('text format: fields null; messageformat text; empty icon and footer fall back as in falcosidekick', () => {
    const body = formatMattermost(
      sampleEvent(),
      cfg({
        outputformat: 'text',
        icon: '',
        messageformat: compileTemplate('{{ .Rule }} on {{ .Hostname }}'),
      }),
    );
    expect(body).toBe(
      '{"text":"Write below binary dir on falco-node-1","username":"Falcosidekick",' +
        '"icon_url":"https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick.png",' +
        `"attachments":[{"fallback":"${OUT}","color":"#e20b0b","text":"${OUT}","fields":null}]}\n`,
    );
    const fields = JSON.parse(formatMattermost(sampleEvent(), cfg({ outputformat: 'fields', footer: '' })));
    expect(fields.attachments[0].text).toBeUndefined();
    expect(fields.attachments[0].footer).toBe('https://github.com/falcosecurity/falcosidekick');
  });
});

outputContract({
  name: 'mattermost',
  make: (url) =>
    createOutput(
      mattermostOutput,
      {
        name: 'mattermost',
        type: 'mattermost',
        path: 'mattermost',
        settings: { webhookurl: `${url}${SECRET}` },
      },
      {},
    ).output,
  secrets: ['m4tt3rm0stS3cr3tH00k'],
  okReply: () => ({ status: 200, body: 'ok' }),
  checkRequest: (req) => {
    expect(req.url).toBe(SECRET);
    expect(req.text).toBe(formatMattermost(sampleEvent(), cfg()));
  },
});
