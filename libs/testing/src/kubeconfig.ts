import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A kubeconfig file (token user; TLS verification off for a plain-HTTP server) in a fresh temporary directory. */
export function writeKubeconfig(server: string, token: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'falconer-kube-')), 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: fake',
      `  cluster: { server: "${server}", insecure-skip-tls-verify: true }`,
      'users:',
      '- name: falconer',
      `  user: { token: ${token} }`,
      'contexts:',
      '- name: fake',
      '  context: { cluster: fake, user: falconer }',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  return file;
}
