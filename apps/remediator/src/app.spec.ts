import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRemediatorApp } from './app';
import { ConfigError, loadRemediatorConfig } from './config/remediator.config';
import { RulesError } from './rules/rules';
import { writeTemp } from './testing/harness';

const silent = pino({ level: 'silent' });

function configFor(
  rulesFile: string,
  env: Record<string, string> = {},
): ReturnType<typeof loadRemediatorConfig> {
  return loadRemediatorConfig({
    REMEDIATOR_RULES: rulesFile,
    REMEDIATOR_LOG_LEVEL: 'silent',
    KUBECONFIG: writeTemp('kubeconfig', 'apiVersion: v1\nkind: Config\nclusters: []\n'),
    ...env,
  });
}

describe('start-up validation', () => {
  it('refuses invalid rules before anything listens, listing every problem', async () => {
    const file = writeTemp(
      'rules.yaml',
      '- name: a\n  match: { priority: ">=Loud" }\n  actions: [ { action: kubernetes:terminate, parameters: { minHealthyReplicas: "x" } } ]\n',
    );
    const err = await createRemediatorApp(configFor(file), { logger: silent }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RulesError);
    expect((err as RulesError).problems).toEqual([
      expect.stringMatching(/^rules\[0\] \("a"\)\.match\.priority: expected a comparison/),
      'rules[0] ("a").actions[0].parameters.minHealthyReplicas: expected a whole number or a percentage such as "50%", got "x"',
    ]);
    expect((err as Error).message).toContain(`invalid response rules in ${file}`);
  });

  it('refuses a missing rules file and an unreadable kubeconfig with a clear message', async () => {
    const missing = await createRemediatorApp(configFor('/nonexistent/rules.yaml'), { logger: silent }).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(RulesError);
    expect((missing as Error).message).toContain('cannot read the rules file');
    const rules = writeTemp(
      'rules.yaml',
      '- { name: a, match: { rules: [x] }, actions: [ { action: log } ] }\n',
    );
    const badKube = await createRemediatorApp(configFor(rules, { KUBECONFIG: '/nonexistent/kubeconfig' }), {
      logger: silent,
    }).catch((e: unknown) => e);
    expect(badKube).toBeInstanceOf(ConfigError);
    expect((badKube as Error).message).toContain('KUBECONFIG (/nonexistent/kubeconfig)');
  });
});
