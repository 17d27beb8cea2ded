import { serializeEvent } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { describe, expect, it } from 'vitest';
import { zincsearchOutput } from './zincsearch.descriptor';

const make = (url: string) =>
  createOutput(zincsearchOutput, {
    name: 'zincsearch',
    type: 'zincsearch',
    path: 'zincsearch',
    settings: { hostport: url, username: 'admin', password: 'zinc-S3cr3t-pw' },
  }).output;

describe('ZincSearch (falcosidekick outputs/zincsearch.go)', () => {
  it('one event: the event JSON to /api/<index>/_doc, byte for byte', async () => {
    const rx = await Receiver.start();
    const out = make(rx.url);
    expect(await out.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    expect(rx.requests[0]!.url).toBe('/api/falco/_doc');
    expect(rx.requests[0]!.text).toBe(`${serializeEvent(sampleEvent())}\n`);
    await out.close?.();
    await rx.close();
  });
});

outputContract({
  name: 'zincsearch',
  make,
  batch: [sampleEvent(), secondEvent()],
  secrets: ['zinc-S3cr3t-pw', Buffer.from('admin:zinc-S3cr3t-pw').toString('base64')],
  checkRequest: (req) => {
    expect(req.url).toBe('/api/falco/_multi');
    expect(req.headers['authorization']).toBe(
      `Basic ${Buffer.from('admin:zinc-S3cr3t-pw').toString('base64')}`,
    );
    expect(req.text).toBe(`${serializeEvent(sampleEvent())}\n${serializeEvent(secondEvent())}\n`);
  },
});
