import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_OUTPUT, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { discordOutput } from './discord.descriptor';
import { formatDiscord } from './discord.format';

const SECRET = '/api/webhooks/123456789012345678/d1sc0rdS3cr3tT0k3n';
const ICON =
  'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png';
const OUT = SAMPLE_OUTPUT;

// Expected bytes derived from falcosidekick's outputs/discord.go (newDiscordPayload, json.Encoder).
describe('Discord body for the sample event, byte for byte (falcosidekick outputs/discord.go)', () => {
  it('embed with inline fields, code spans around output fields, tags then time', () => {
    expect(formatDiscord(sampleEvent(), ICON)).toBe(
      `{"content":"","avatar_url":"${ICON}","embeds":[{"title":"","url":"","description":"${OUT}","color":"15844367","fields":[` +
        '{"name":"rule","value":"Write below binary dir","inline":true},{"name":"priority","value":"Error","inline":true},' +
        '{"name":"source","value":"syscall","inline":true},{"name":"hostname","value":"falco-node-1","inline":true},' +
        '{"name":"fd.name","value":"```/bin/hack```","inline":true},{"name":"proc.cmdline","value":"```touch /bin/hack```","inline":true},' +
        '{"name":"user.name","value":"```root```","inline":true},{"name":"tags","value":"filesystem, mitre_persistence","inline":true},' +
        '{"name":"time","value":"2019-05-17 15:31:56.746609046 +0000 UTC","inline":true}]}]}\n',
    );
  });

  it('colours by priority; an empty icon falls back to falcosidekick.png as its code does', () => {
    const colours = (
      ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const
    ).map((priority) => JSON.parse(formatDiscord(sampleEvent({ priority }), ICON)).embeds[0].color);
    expect(colours).toEqual([
      '15158332',
      '11027200',
      '15105570',
      '15844367',
      '12745742',
      '3066993',
      '3447003',
      '12370112',
    ]);
    expect(JSON.parse(formatDiscord(secondEvent(), '')).avatar_url).toBe(
      'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick.png',
    );
  });

  it("keeps within Discord's limits (deliberate difference): 25 fields with time last, clipped texts", () => {
    const many = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`f${String(i).padStart(2, '0')}`, 'v']),
    );
    const body = JSON.parse(
      formatDiscord(
        sampleEvent({ output: 'x'.repeat(5000), output_fields: { ...many, big: 'y'.repeat(2000) } }),
        ICON,
      ),
    );
    const fields = body.embeds[0].fields as { name: string; value: string }[];
    expect(fields).toHaveLength(25);
    expect(fields.at(-1)!.name).toBe('time');
    expect(body.embeds[0].description).toHaveLength(4096);
    const big = JSON.parse(formatDiscord(sampleEvent({ output_fields: { big: 'y'.repeat(2000) } }), ICON));
    expect(big.embeds[0].fields.find((f: { name: string }) => f.name === 'big').value).toHaveLength(1024);
  });
});

outputContract({
  name: 'discord',
  make: (url) =>
    createOutput(
      discordOutput,
      { name: 'discord', type: 'discord', path: 'discord', settings: { webhookurl: `${url}${SECRET}` } },
      {},
    ).output,
  secrets: ['d1sc0rdS3cr3tT0k3n'],
  okReply: () => ({ status: 204 }),
  checkRequest: (req) => {
    expect(req.url).toBe(SECRET);
    expect(req.text).toBe(formatDiscord(sampleEvent(), ICON));
  },
});
