import { Receiver, type RecordedRequest } from '@falconer/testing';
import { sampleEvent } from '@falconer/outputs-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

/**
 * The automation outputs configured as falcosidekick users do — from its YAML section, and separately
 * from its environment variables only — each delivering the sample event to a local receiver.
 */
interface Case {
  type: string;
  yaml: (url: string) => string;
  env: (url: string) => Record<string, string>;
  check: (req: RecordedRequest) => void;
}

const CASES: Case[] = [
  {
    type: 'cloudevents',
    yaml: (url) => `cloudevents:\n  address: ${url}/ce\n  extensions:\n    cluster: prod\n`,
    env: (url) => ({ CLOUDEVENTS_ADDRESS: `${url}/ce`, CLOUDEVENTS_EXTENSIONS: 'cluster:prod' }),
    check: (req) => {
      expect(req.url).toBe('/ce');
      expect(req.headers['ce-cluster']).toBe('prod');
      expect(req.headers['ce-rule']).toBe('Write below binary dir');
    },
  },
];

describe('automation outputs configured from falcosidekick YAML or env', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200 }));
  });
  afterAll(() => rx.close());

  for (const c of CASES) {
    for (const from of ['yaml', 'env'] as const) {
      it(`${c.type} from ${from}`, async () => {
        const { config } = loadRouterConfig(
          from === 'yaml' ? { env: {}, yaml: c.yaml(rx.url) } : { env: c.env(rx.url) },
        );
        const { instances, errors } = buildOutputs(config.outputs);
        expect(errors).toEqual([]);
        const mine = instances.filter((i) => i.type === c.type);
        expect(mine.map((i) => i.name)).toEqual([c.type]);
        const output = mine[0]!.output;
        const before = rx.requests.length;
        expect(await output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
        expect(rx.requests.length).toBe(before + 1);
        c.check(rx.requests.at(-1)!);
        await output.close?.();
      });
    }
  }
});
