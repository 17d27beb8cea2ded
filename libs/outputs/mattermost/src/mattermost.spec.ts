import { compileTemplate } from '@falconer/falco';
import {
  sampleAttachmentConfig,
  SAMPLE_OUTPUT,
  sampleAttachmentBody,
  sampleEvent,
  webhookChatContract,
} from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { mattermostOutput } from './mattermost.descriptor';
import { formatMattermost } from './mattermost.format';

const OUT = SAMPLE_OUTPUT;
const cfg = sampleAttachmentConfig('https://github.com/falcosecurity/falcosidekick');

// Expected bytes derived from falcosidekick's outputs/mattermost.go (newMattermostPayload, json.Encoder).
describe('Mattermost body for the sample event, byte for byte (falcosidekick outputs/mattermost.go)', () => {
  it('outputformat all: hostname right after rule, footer, no channel', () => {
    expect(formatMattermost(sampleEvent(), cfg())).toBe(
      sampleAttachmentBody(
        ['rule', 'hostname', 'priority', 'source', 'tags', 'fd.name', 'proc.cmdline', 'user.name', 'time'],
        ',"footer":"https://github.com/falcosecurity/falcosidekick"',
      ),
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

webhookChatContract({
  descriptor: mattermostOutput,
  secretPath: '/hooks/m4tt3rm0stS3cr3tH00k',
  secret: 'm4tt3rm0stS3cr3tH00k',
  okReply: () => ({ status: 200, body: 'ok' }),
  body: () => formatMattermost(sampleEvent(), cfg()),
});
