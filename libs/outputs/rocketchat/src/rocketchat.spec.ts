import { CHAT_DEFAULTS, createOutput } from '@falconer/outputs-core';
import {
  sampleAttachmentConfig,
  SAMPLE_OUTPUT,
  sampleAttachmentBody,
  sampleEvent,
  webhookChatContract,
} from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { rocketchatOutput } from './rocketchat.descriptor';
import { formatRocketChat } from './rocketchat.format';

const ICON = CHAT_DEFAULTS.icon;
const OUT = SAMPLE_OUTPUT;
const cfg = sampleAttachmentConfig('');

// Expected bytes derived from falcosidekick's outputs/rocketchat.go (newRocketchatPayload, json.Encoder).
describe('Rocket.Chat body for the sample event, byte for byte (falcosidekick outputs/rocketchat.go)', () => {
  it('outputformat all: hostname after time, no footer, no channel', () => {
    expect(formatRocketChat(sampleEvent(), cfg())).toBe(
      sampleAttachmentBody([
        'rule',
        'priority',
        'source',
        'tags',
        'fd.name',
        'proc.cmdline',
        'user.name',
        'time',
        'hostname',
      ]),
    );
  });

  it('text format keeps the attachment with the output (deliberate difference: falcosidekick drops it)', () => {
    expect(formatRocketChat(sampleEvent(), cfg({ outputformat: 'text' }))).toBe(
      `{"username":"Falcosidekick","icon_url":"${ICON}","attachments":[{"fallback":"${OUT}","color":"#e20b0b","text":"${OUT}","fields":null}]}\n`,
    );
  });

  it("accepts falcosidekick's unused footer key without showing it", () => {
    const { errors, warnings } = createOutput(
      rocketchatOutput,
      {
        name: 'rocketchat',
        type: 'rocketchat',
        path: 'rocketchat',
        settings: { webhookurl: 'https://chat.example/hooks/a/b', footer: 'x' },
      },
      {},
    );
    expect([errors, warnings]).toEqual([[], []]);
  });
});

webhookChatContract({
  descriptor: rocketchatOutput,
  secretPath: '/hooks/r0ck3tId/r0ck3tCh4tS3cr3tT0k3n',
  secret: 'r0ck3tCh4tS3cr3tT0k3n',
  okReply: () => ({ status: 200, body: '{"success":true}' }),
  body: () => formatRocketChat(sampleEvent(), cfg()),
});
