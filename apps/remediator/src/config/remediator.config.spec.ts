import { describe, expect, it } from 'vitest';
import { ConfigError, loadRemediatorConfig, parseRateLimit } from './remediator.config';

function problems(env: Record<string, string>, files: Record<string, string> = {}): string[] {
  try {
    loadRemediatorConfig(env, { readFile: (p) => files[p] ?? '' });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadRemediatorConfig', () => {
  it('has safe defaults: port 2803, dry-run on, default deny-list, 10m cooldown, 10/min', () => {
    const c = loadRemediatorConfig({ REMEDIATOR_RULES: '/rules.yaml' });
    expect(c).toMatchObject({
      port: 2803,
      rulesFile: '/rules.yaml',
      dryRun: true,
      secret: '',
      routerUrl: '',
      denyNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
      cooldownMs: 600_000,
      rateLimit: { max: 10, windowMs: 60_000 },
      kube: { kubeconfig: '', inCluster: false },
    });
  });

  it('reads every documented environment variable', () => {
    const c = loadRemediatorConfig({
      REMEDIATOR_PORT: '9000',
      REMEDIATOR_RULES: '/r.yaml',
      REMEDIATOR_DRYRUN: 'false',
      REMEDIATOR_SECRET: 'sh',
      REMEDIATOR_ROUTER_URL: 'http://falconer:2801/',
      REMEDIATOR_DENY_NAMESPACES: 'kube-system, monitoring',
      REMEDIATOR_NAMESPACE: 'falconer',
      REMEDIATOR_COOLDOWN: '30s',
      REMEDIATOR_RATELIMIT: '3/h',
      KUBECONFIG: '/home/me/.kube/config:/other',
    });
    expect(c).toMatchObject({
      port: 9000,
      dryRun: false,
      secret: 'sh',
      routerUrl: 'http://falconer:2801',
      denyNamespaces: ['kube-system', 'monitoring', 'falconer'],
      ownNamespace: 'falconer',
      cooldownMs: 30_000,
      rateLimit: { max: 3, windowMs: 3_600_000, text: '3/h' },
      kube: { kubeconfig: '/home/me/.kube/config' },
    });
  });

  it('in a cluster, protects its own namespace from the service account file', () => {
    const c = loadRemediatorConfig(
      { REMEDIATOR_RULES: '/r', KUBERNETES_SERVICE_HOST: '10.0.0.1' },
      { readFile: (p) => (p.endsWith('/serviceaccount/namespace') ? 'security\n' : '') },
    );
    expect(c.kube.inCluster).toBe(true);
    expect(c.denyNamespaces).toContain('security');
  });

  it('reads a YAML settings file; the environment wins', () => {
    const c = loadRemediatorConfig(
      { REMEDIATOR_CONFIG: '/etc/r.yaml', REMEDIATOR_PORT: '7000' },
      { readFile: () => 'rules: /etc/rules.yaml\nport: 1234\ndryrun: false\nratelimit: 20/min\n' },
    );
    expect(c).toMatchObject({
      rulesFile: '/etc/rules.yaml',
      port: 7000,
      dryRun: false,
      rateLimit: { max: 20 },
    });
  });

  it('lists every problem in one error', () => {
    expect(
      problems(
        {
          REMEDIATOR_CONFIG: '/c.yaml',
          REMEDIATOR_PORT: 'http',
          REMEDIATOR_DRYRUN: 'maybe',
          REMEDIATOR_ROUTER_URL: 'ftp://x',
          REMEDIATOR_COOLDOWN: 'soon',
          REMEDIATOR_RATELIMIT: 'lots',
        },
        { '/c.yaml': 'colour: red\n' },
      ),
    ).toEqual([
      expect.stringContaining('unknown setting "colour"'),
      'REMEDIATOR_PORT: expected a whole number, got "http"',
      'REMEDIATOR_RULES: required (path of the response rules YAML file)',
      'REMEDIATOR_DRYRUN: expected true or false, got "maybe"',
      'REMEDIATOR_ROUTER_URL: expected an http(s) URL, got "ftp://x"',
      'REMEDIATOR_COOLDOWN: expected a duration such as 5s or 2m, got "soon"',
      'REMEDIATOR_RATELIMIT: expected a rate such as 10/min, 5/s or 100/h, got "lots"',
    ]);
  });
});

describe('parseRateLimit', () => {
  it('reads N/unit and a bare number per minute', () => {
    expect(parseRateLimit('10/min')).toMatchObject({ max: 10, windowMs: 60_000 });
    expect(parseRateLimit('5/s')).toMatchObject({ max: 5, windowMs: 1000 });
    expect(parseRateLimit('20/30s')).toMatchObject({ max: 20, windowMs: 30_000 });
    expect(parseRateLimit('7')).toMatchObject({ max: 7, windowMs: 60_000 });
    expect(() => parseRateLimit('0/min')).toThrow();
  });
});
