import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Receiver, serviceAvailable } from '@falconer/testing';
import {
  DASHBOARD_INDEX,
  REPO_ROOT,
  assertBuilt,
  launchRouter,
  type RouterProcess,
} from '../support/router-process';
import { DASHBOARD_ENV, chromiumInstalled, launchChromium, openPage, dashboardUsersConfig } from './browser';
import { falcoEvent } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());
const BASIC = 'Basic ' + Buffer.from('alice:alice-pw').toString('base64');

/** A page on another origin (another port) that tries to read the stream and replay dead letters. */
function evilPage(router: string): string {
  return `<!doctype html><html><body><script src="/socket.io.min.js"></script><script>
window.result = {};
const r = window.result;
fetch(${JSON.stringify(router)} + '/api/v1/deadletters/replay', { method: 'POST', mode: 'no-cors',
  credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' })
  .then(() => { r.replay = 'sent'; }, () => { r.replay = 'error'; });
fetch(${JSON.stringify(router)} + '/api/v1/events/search', { credentials: 'include' })
  .then((x) => x.text()).then((t) => { r.read = t; }, () => { r.read = 'blocked'; });
const s = io(${JSON.stringify(router)}, { transports: ['websocket'], withCredentials: true, reconnection: false });
s.on('connect', () => { r.socket = 'connected'; s.emit('subscribe', {}); });
s.on('connect_error', () => { r.socket = 'refused'; });
s.on('event', () => { r.event = true; });
</script></body></html>`;
}

describe.skipIf(!hasChromium)('dashboard security (issue 20)', () => {
  let router: RouterProcess;
  let browser: Browser;
  let receiver: Receiver;
  let evil: Server;
  let evilUrl: string;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    // every delivery is refused for good: the first event becomes a dead letter a replay would resend
    receiver = await Receiver.start(() => ({ status: 400, body: '{"error":"no"}' }));
    const config = dashboardUsersConfig({ alice: 'operator' });
    router = await launchRouter({
      env: {
        ...DASHBOARD_ENV,
        FALCONER_CONFIG: config,
        WEBHOOK_ADDRESS: `${receiver.url}/hook`,
        WEBHOOK_MINIMUMPRIORITY: 'critical',
      },
    });
    browser = await launchChromium();
    const client = readFileSync(resolve(REPO_ROOT, 'node_modules/socket.io-client/dist/socket.io.min.js'));
    evil = createServer((req, res) => {
      if (req.url === '/socket.io.min.js')
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(client);
      else res.writeHead(200, { 'content-type': 'text/html' }).end(evilPage(router.url));
    });
    await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', ok));
    const addr = evil.address();
    evilUrl = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}/`;
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
    await receiver?.close();
    evil?.close();
  });

  it('signs in, shows a new event live, signs out, and the API then answers 401', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${router.url}/ui`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice-pw');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'falconer_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    expect(await router.post(falcoEvent(1, { marker: 'before-live', priority: 'Notice' }))).toBe(200);
    await page.locator('.feed-row', { hasText: 'before-live' }).waitFor({ timeout: 5_000 });
    const marker = `signed-in-${Date.now()}`;
    expect(await router.post(falcoEvent(2, { marker, priority: 'Notice' }))).toBe(200);
    await page.locator('.feed-row', { hasText: marker }).waitFor({ timeout: 5_000 });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const res = await page.request.get(`${router.url}/api/v1/events/search`);
    expect(res.status()).toBe(401);
    await context.close();
  });

  it('lets a page on another origin neither read the stream nor replay dead letters', async () => {
    // a dead letter to replay (only critical events go to the refusing webhook)
    expect(await router.post(falcoEvent(9, { marker: 'seed', priority: 'Critical' }))).toBe(200);
    await receiver.waitFor(1);
    const deadLetters = async (): Promise<number> =>
      (
        (await (
          await fetch(`${router.url}/api/v1/deadletters`, { headers: { authorization: BASIC } })
        ).json()) as {
          statistics: { all: number };
        }
      ).statistics.all;
    await expect.poll(deadLetters, { timeout: 10_000 }).toBeGreaterThan(0);
    const before = await deadLetters();

    // the victim is signed in (the session cookie is same-site for 127.0.0.1 on another port)
    const { page, context } = await openPage(browser);
    await page.goto(`${router.url}/ui/login`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice-pw');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();

    const attacker = await context.newPage();
    await attacker.goto(evilUrl);
    await attacker.waitForFunction(() => {
      const r = (window as unknown as { result: Record<string, unknown> }).result;
      return r.socket !== undefined && r.replay !== undefined && r.read !== undefined;
    });
    expect(await router.post(falcoEvent(3, { marker: 'after-attack', priority: 'Notice' }))).toBe(200);
    await page.locator('.feed-row', { hasText: 'after-attack' }).waitFor({ timeout: 5_000 });
    const result = await attacker.evaluate(
      () => (window as unknown as { result: Record<string, unknown> }).result,
    );
    expect(result.socket).toBe('refused');
    expect(result.event).toBeUndefined();
    expect(result.read).toBe('blocked');
    expect(await deadLetters()).toBe(before);
    const replayed = receiver.requests.length;

    // the dashboard's own origin may replay
    const own = await page.evaluate(async () => {
      const r = await fetch('/api/v1/deadletters/replay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return r.status;
    });
    expect(own).toBe(200);
    await receiver.waitFor(replayed + 1);
    await context.close();
  });
});
