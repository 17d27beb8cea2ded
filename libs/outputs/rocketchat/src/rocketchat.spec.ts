import { CHAT_DEFAULTS, createOutput, type AttachmentConfig } from '@falconer/outputs-core';
import {
  outputContract,
  sampleAttachmentFields,
  SAMPLE_OUTPUT,
  sampleEvent,
} from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { rocketchatOutput } from './rocketchat.descriptor';
import { formatRocketChat } from './rocketchat.format';

const SECRET = '/hooks/r0ck3tId/r0ck3tCh4tS3cr3tT0k3n';
const ICON = CHAT_DEFAULTS.icon;
const OUT = SAMPLE_OUTPUT;
const cfg = (over: Partial<AttachmentConfig> = {}): AttachmentConfig => ({
  username: 'Falcosidekick',
  icon: ICON,
  footer: '',
  outputformat: 'all',
  ...over,
});

// Expected bytes derived from falcosidekick's outputs/rocketchat.go (newRocketchatPayload, json.Encoder).
describe('Rocket.Chat body for the sample event, byte for byte (falcosidekick outputs/rocketchat.go)', () => {
  it('outputformat all: hostname after time, no footer, no channel', () => {
    const fields = sampleAttachmentFields([
      'rule',
      'priority',
      'source',
      'tags',
      'fd.name',
      'proc.cmdline',
      'user.name',
      'time',
      'hostname',
    ]);
    expect(formatRocketChat(sampleEvent(), cfg())).toBe(
      `{"username":"Falcosidekick","icon_url":"${ICON}","attachments":[{"fallback":"${OUT}","color":"#e20b0b","text":"${OUT}",` +
        `"fields":${fields}}]}\n`,
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

outputContract({
  name: 'rocketchat',
  make: (url) =>
    createOutput(
      rocketchatOutput,
      {
        name: 'rocketchat',
        type: 'rocketchat',
        path: 'rocketchat',
        settings: { webhookurl: `${url}${SECRET}` },
      },
      {},
    ).output,
  secrets: ['r0ck3tCh4tS3cr3tT0k3n'],
  okReply: () => ({ status: 200, body: '{"success":true}' }),
  checkRequest: (req) => {
    expect(req.url).toBe(SECRET);
    expect(req.text).toBe(formatRocketChat(sampleEvent(), cfg()));
  },
});
