import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fixture } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiFake } from '../remediation/kube-api.fake';
import { captureOutput, waitHealthy } from '../support/process';
import { addBuilt, productionInstall } from '../support/production-install';
import { assertBuilt, freePort, REPO_ROOT } from '../support/router-process';

// No Docker engine runs here: the Dockerfile is read, every path it copies is checked against the build,
// and each target's start command runs from a production-only install laid out as the image is.

interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}
interface Stage {
  name: string;
  workdir: string;
  copies: Copy[];
  cmd: string[];
  user: string;
}

function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  // join continuation lines, drop comments
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const line of lines) {
    const [instr = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    const stage = stages[stages.length - 1];
    switch (instr.toUpperCase()) {
      case 'FROM': {
        const m = /^(\S+)\s+AS\s+(\S+)$/i.exec(args);
        // a stage built on an earlier one starts with what it has
        const base = stages.find((x) => x.name === m?.[1]);
        stages.push({
          name: m?.[2] ?? '',
          workdir: base?.workdir ?? '/',
          copies: [...(base?.copies ?? [])],
          cmd: [...(base?.cmd ?? [])],
          user: base?.user ?? 'root',
        });
        break;
      }
      case 'WORKDIR':
        if (stage) stage.workdir = args;
        break;
      case 'USER':
        if (stage) stage.user = args;
        break;
      case 'CMD':
        if (stage) stage.cmd = JSON.parse(args) as string[];
        break;
      case 'COPY': {
        const parts = args.split(/\s+/);
        const from = parts[0]?.startsWith('--from=') ? parts.shift()?.slice('--from='.length) : undefined;
        const dest = parts.pop() ?? '';
        stage?.copies.push({ from, sources: parts, dest });
        break;
      }
      default:
    }
  }
  return stages;
}

const stages = parseDockerfile(readFileSync(resolve(REPO_ROOT, 'Dockerfile'), 'utf8'));
const stage = (name: string): Stage => {
  const s = stages.find((x) => x.name === name);
  if (s === undefined) throw new Error(`Dockerfile has no stage ${name}`);
  return s;
};

/**
 * Lays out final stages (both start from the same prod-deps stage, so one directory serves both): the
 * production-only install, then what each copies from `build`.
 */
function layOut(...finals: Stage[]): { dir: string; remove(): void } {
  const install = productionInstall();
  for (const c of finals.flatMap((s) => s.copies)) {
    if (c.from !== 'build') continue;
    for (const src of c.sources) {
      const to = join(install.dir, c.dest.replace(/^\.\//, ''));
      if (!existsSync(to)) addBuilt(install.dir, src.replace(/^\/app\//, ''), c.dest.replace(/^\.\//, ''));
    }
  }
  return install;
}

/** Runs a stage's CMD (`node` = this Node.js) in a laid-out directory; resolves once /healthz answers. */
async function runCmd(s: Stage, cwd: string, env: Record<string, string>, port: number) {
  const [node, ...args] = s.cmd;
  expect(node).toBe('node');
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(s.name, child, url, output, 30_000);
  return {
    url,
    output,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

describe('Dockerfile', () => {
  beforeAll(() =>
    assertBuilt(
      resolve(REPO_ROOT, 'dist/apps/dashboard/index.html'),
      resolve(REPO_ROOT, 'dist/apps/remediator/main.js'),
    ),
  );

  it('has a build stage, a production-only dependency stage and two non-root targets, router the default', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'runtime', 'remediator', 'router']);
    const prod = stage('prod-deps');
    expect(readFileSync(resolve(REPO_ROOT, 'Dockerfile'), 'utf8')).toMatch(/npm ci --omit=dev/);
    expect(prod.copies.every((c) => c.from === undefined)).toBe(true);
    for (const name of ['router', 'remediator']) {
      const s = stage(name);
      expect(s.user).toBe('node');
      // only the built apps and the production install: nothing from the build context or dev tree
      for (const c of s.copies) {
        expect(
          c.from === 'prod-deps' ||
            (c.from === 'build' && c.sources.every((p) => p.startsWith('/app/dist/'))),
          JSON.stringify(c),
        ).toBe(true);
      }
    }
  });

  it('copies only paths that exist after `npm run build`', () => {
    for (const s of stages) {
      for (const c of s.copies) {
        for (const src of c.sources) {
          // build context (the repository) or the build stage's /app (the repository after the build)
          const path = c.from === 'build' ? src.replace(/^\/app\//, '') : c.from === undefined ? src : null;
          if (path === null) continue; // prod-deps: made by npm ci --omit=dev, checked by running below
          expect(existsSync(resolve(REPO_ROOT, path)), `${s.name}: COPY ${src}`).toBe(true);
        }
      }
    }
  });

  it("router's CMD uses the runtime flags of tools/runtime-flags.mjs", async () => {
    const { NODE_FLAGS } = (await import(resolve(REPO_ROOT, 'tools/runtime-flags.mjs'))) as {
      NODE_FLAGS: string[];
    };
    expect(stage('router').cmd).toEqual(['node', ...NODE_FLAGS, 'dist/apps/router/main.js']);
  });

  describe('from a production-only install', () => {
    let image: ReturnType<typeof layOut>;
    beforeAll(() => {
      image = layOut(stage('router'), stage('remediator'));
    });
    afterAll(() => image.remove());

    it('the router target starts, takes an event and serves the dashboard', async () => {
      // nothing dev-only came along
      expect(existsSync(join(image.dir, 'node_modules/vitest'))).toBe(false);
      expect(existsSync(join(image.dir, 'node_modules/@nx'))).toBe(false);
      const port = await freePort();
      const r = await runCmd(
        stage('router'),
        image.dir,
        { LISTENADDRESS: '127.0.0.1', LISTENPORT: String(port) },
        port,
      );
      try {
        const res = await fetch(`${r.url}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: fixture('shell-in-container'),
        });
        expect(res.status, r.output()).toBe(200);
        const ui = await fetch(`${r.url}/ui/`);
        expect(ui.status).toBe(200);
        expect(await ui.text()).toContain('<div id="root">');
      } finally {
        await r.stop();
      }
    });

    it('the remediator target starts (dry-run)', async () => {
      const gone = await KubeApiFake.start();
      const kubeconfig = gone.writeKubeconfig();
      await gone.close();
      const rules = join(image.dir, 'rules.yaml');
      writeFileSync(rules, '[]\n');
      const port = await freePort();
      const r = await runCmd(
        stage('remediator'),
        image.dir,
        {
          REMEDIATOR_LISTENADDRESS: '127.0.0.1',
          REMEDIATOR_PORT: String(port),
          REMEDIATOR_RULES: rules,
          KUBECONFIG: kubeconfig,
        },
        port,
      );
      await r.stop();
    });
  });
});
