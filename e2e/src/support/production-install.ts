import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  readlinkSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './router-process';

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
}

/** Hard-links a tree (files linked, directories made, symlinks kept), leaving out `skip` at its top. */
function linkTree(from: string, to: string, skip: ReadonlySet<string>): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const src = join(from, e.name);
    const dst = join(to, e.name);
    if (e.isDirectory()) linkTree(src, dst, new Set());
    else if (e.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    else {
      try {
        linkSync(src, dst);
      } catch {
        copyFileSync(src, dst); // another file system
      }
    }
  }
}

/**
 * What `npm ci --omit=dev` puts in node_modules, made in seconds without the network: every package the
 * lockfile does not mark dev, hard-linked from the workspace's installed tree, each without the nested
 * node_modules it may hold (those come from their own lockfile entries). Node resolves modules from the
 * real paths, so a production package that needs a dev-only one fails here as it would in the image.
 */
export function productionInstall(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-prod-'));
  const lock = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true || entry.devOptional === true) continue;
    const src = resolve(REPO_ROOT, path);
    try {
      linkTree(src, join(dir, path), new Set(['node_modules']));
    } catch (err) {
      // an optional package for another platform is in the lockfile but not installed
      if (entry.optional === true && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
  }
  copyFileSync(resolve(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies (hard-links) a built path of the repository into an install made by productionInstall(). */
export function addBuilt(dir: string, from: string, to: string): void {
  linkTree(resolve(REPO_ROOT, from), join(dir, to), new Set());
}
