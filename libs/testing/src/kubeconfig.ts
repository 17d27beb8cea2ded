import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A kubeconfig file in a fresh temporary directory: a token user, and either TLS verification off (a
 * plain-HTTP server) or the cluster CA and a client certificate and key (files).
 */
export function writeKubeconfig(
  server: string,
  token: string,
  tls?: { ca: string; clientCert?: string; clientKey?: string },
): string {
  const cluster = tls ? `certificate-authority: "${tls.ca}"` : 'insecure-skip-tls-verify: true';
  const cert =
    tls?.clientCert && tls.clientKey
      ? `, client-certificate: "${tls.clientCert}", client-key: "${tls.clientKey}"`
      : '';
  const file = join(mkdtempSync(join(tmpdir(), 'falconer-kube-')), 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: fake',
      `  cluster: { server: "${server}", ${cluster} }`,
      'users:',
      '- name: falconer',
      `  user: { token: ${token}${cert} }`,
      'contexts:',
      '- name: fake',
      '  context: { cluster: fake, user: falconer }',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  return file;
}
