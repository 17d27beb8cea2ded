import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_OUTPUT, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { teamsOutput } from './teams.descriptor';
import { formatTeamsAdaptiveCard, formatTeamsMessageCard, type TeamsFormat } from './teams.format';

const SECRET = '/webhookb2/0000-1111@2222/IncomingWebhook/s3cr3tT34msH00k/3333';
const ICON =
  'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png';
const OUT = SAMPLE_OUTPUT;
const FACTS =
  '[{"name":"rule","value":"Write below binary dir"},{"name":"priority","value":"Error"},{"name":"source","value":"syscall"},' +
  '{"name":"hostname","value":"falco-node-1"},{"name":"fd.name","value":"/bin/hack"},{"name":"proc.cmdline","value":"touch /bin/hack"},' +
  '{"name":"user.name","value":"root"},{"name":"tags","value":"filesystem, mitre_persistence"}]';
const cfg = (over: Partial<TeamsFormat> = {}): TeamsFormat => ({
  activityimage: ICON,
  outputformat: 'all',
  ...over,
});

// Expected bytes derived from falcosidekick's outputs/teams.go (newTeamsPayload, marshalled by json.Encoder).
describe('Teams MessageCard for the sample event, byte for byte (falcosidekick outputs/teams.go)', () => {
  it('outputformat all', () => {
    expect(formatTeamsMessageCard(sampleEvent(), cfg())).toBe(
      `{"@type":"MessageCard","summary":"${OUT}","themeColor":"ffc700","sections":[{"activityTitle":"Falcosidekick",` +
        `"activitySubtitle":"2019-05-17 15:31:56.746609046 +0000 UTC","activityImage":"${ICON}","text":"${OUT}","facts":${FACTS}}]}\n`,
    );
  });

  it('outputformat text: no facts; facts: empty text (not omitted); no image when empty', () => {
    const text = JSON.parse(formatTeamsMessageCard(sampleEvent(), cfg({ outputformat: 'text' })));
    expect(text.sections[0].facts).toBeUndefined();
    expect(text.sections[0].text).toBe(OUT);
    const facts = formatTeamsMessageCard(sampleEvent(), cfg({ outputformat: 'facts', activityimage: '' }));
    expect(facts).toContain(
      '"activitySubtitle":"2019-05-17 15:31:56.746609046 +0000 UTC","text":"","facts":[',
    );
  });

  it("themeColor by priority (Teams' own palette) and Go escaping", () => {
    const colours = (
      ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const
    ).map((priority) => JSON.parse(formatTeamsMessageCard(sampleEvent({ priority }), cfg())).themeColor);
    expect(colours).toEqual(['e20b0b', 'ff5400', 'ff9000', 'ffc700', 'ffff00', '5bffb5', '68c2ff', 'ccfff2']);
    expect(formatTeamsMessageCard(secondEvent(), cfg())).toContain('user=root \\u003cNA\\u003e \\u0026 co');
  });
});

describe('Teams Adaptive Card (format: adaptivecard, for Workflows webhooks)', () => {
  it('wraps an Adaptive Card 1.4 in a message with the title, time, output and facts', () => {
    const body = JSON.parse(formatTeamsAdaptiveCard(sampleEvent(), cfg({ activityimage: '' })));
    expect(body.type).toBe('message');
    const att = body.attachments[0];
    expect(att.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(att.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const blocks = att.content.body;
    expect(blocks[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Error: Write below binary dir',
      color: 'attention',
    });
    expect(blocks[1].text).toBe('2019-05-17 15:31:56.746609046 +0000 UTC');
    expect(blocks[2].text).toBe(OUT);
    expect(blocks[3].facts.map((f: { title: string }) => f.title)).toEqual([
      'rule',
      'priority',
      'source',
      'hostname',
      'fd.name',
      'proc.cmdline',
      'user.name',
      'tags',
    ]);
  });

  it('shows the image beside the title and honours outputformat', () => {
    const body = JSON.parse(formatTeamsAdaptiveCard(sampleEvent(), cfg({ outputformat: 'text' })));
    const blocks = body.attachments[0].content.body;
    expect(blocks[0].columns[0].items[0].url).toBe(ICON);
    expect(blocks.map((b: { type: string }) => b.type)).toEqual(['ColumnSet', 'TextBlock', 'TextBlock']);
  });
});

describe('Teams configuration', () => {
  it('takes format and outputformat as env strings and reports bad values', () => {
    const { errors } = createOutput(
      teamsOutput,
      {
        name: 'teams',
        type: 'teams',
        path: 'teams',
        settings: { webhookurl: 'https://x.webhook.office.com/a', outputformat: 'fields', format: 'card' },
      },
      {},
    );
    expect(errors).toEqual([
      'teams.outputformat: expected all|text|facts, got "fields"',
      'teams.format: expected messagecard|adaptivecard, got "card"',
    ]);
  });
});

outputContract({
  name: 'teams',
  make: (url) =>
    createOutput(
      teamsOutput,
      { name: 'teams', type: 'teams', path: 'teams', settings: { webhookurl: `${url}${SECRET}` } },
      {},
    ).output,
  secrets: ['s3cr3tT34msH00k'],
  okReply: () => ({ status: 200, body: '1' }),
  checkRequest: (req) => {
    expect(req.url).toBe(SECRET);
    expect(req.text).toBe(formatTeamsMessageCard(sampleEvent(), cfg()));
  },
});
