import { serializeEvent } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_OUTPUT, sampleEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { gotifyOutput } from './gotify.descriptor';
import { formatGotify } from './gotify.format';

const TOKEN = 'g0t1fyAppT0k3nS3cr3t';
const OUT = SAMPLE_OUTPUT;
const body = (message: string, contentType: string): string =>
  `{"title":"[Falco] [Error] Write below binary dir","priority":5,"message":${JSON.stringify(message)},` +
  `"extras":{"client::display":{"contentType":"${contentType}"}}}\n`;

// Expected bytes derived from falcosidekick's outputs/gotify.go (gotifyMarkdownTmpl, gotifyTextTmpl, json.Encoder).
describe('Gotify body for the sample event, byte for byte (falcosidekick outputs/gotify.go)', () => {
  it('markdown (default)', () => {
    expect(formatGotify(sampleEvent(), 'markdown')).toBe(
      body(
        `- **Priority**: Error\n- **Rule**: Write below binary dir\n- **Output**: ${OUT}\n- **Source**: syscall\n` +
          '- **Tags**: filesystem mitre_persistence \n- **Time**: 2019-05-17 15:31:56.746609046 +0000 UTC\n- **Fields**:\n' +
          '\t- **evt.time**: 1507591916746609046\n\t- **fd.name**: /bin/hack\n\t- **proc.cmdline**: touch /bin/hack\n\t- **user.name**: root\n',
        'text/markdown',
      ),
    );
  });

  it('plaintext and text', () => {
    const expected = body(
      `Priority: Error\nRule: Write below binary dir\nOutput: ${OUT}\nSource: syscall\n` +
        'Tags: filesystem mitre_persistence \nTime: 2019-05-17 15:31:56.746609046 +0000 UTC\nFields:\n' +
        '- evt.time: 1507591916746609046\n- fd.name: /bin/hack\n- proc.cmdline: touch /bin/hack\n- user.name: root\n',
      'text/plain',
    );
    expect(formatGotify(sampleEvent(), 'plaintext')).toBe(expected);
    expect(formatGotify(sampleEvent(), 'text')).toBe(expected);
  });

  it('json: the event as falcosidekick marshals it, 19-digit numbers intact', () => {
    const b = formatGotify(sampleEvent(), 'json');
    expect(b).toBe(body(serializeEvent(sampleEvent()), 'text/plain'));
    expect(JSON.parse(b).message).toContain('"evt.time":1507591916746609046');
  });

  it('priority levels Debug 1 … Emergency 8', () => {
    const levels = (
      ['Debug', 'Informational', 'Notice', 'Warning', 'Error', 'Critical', 'Alert', 'Emergency'] as const
    ).map((priority) => JSON.parse(formatGotify(sampleEvent({ priority }), 'markdown')).priority);
    expect(levels).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

outputContract({
  name: 'gotify',
  make: (url) =>
    createOutput(
      gotifyOutput,
      { name: 'gotify', type: 'gotify', path: 'gotify', settings: { hostport: `${url}/`, token: TOKEN } },
      {},
    ).output,
  secrets: [TOKEN],
  okReply: () => ({ status: 200, body: '{"id":1}' }),
  checkRequest: (req) => {
    expect(req.url).toBe('/message');
    expect(req.headers['x-gotify-key']).toBe(TOKEN);
    expect(req.text).toBe(formatGotify(sampleEvent(), 'markdown'));
  },
});
