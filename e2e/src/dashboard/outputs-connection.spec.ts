import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort, ServerProcess, serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, startRouter, type RouterProcess } from '../support/router-process';
import { chromiumInstalled, launchChromium, openPage } from './browser';
import { falcoEvent } from './falco-events';

const NATS_SERVER = '/usr/sbin/nats-server';
const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());
const hasNats = await serviceAvailable('nats-server binary', () =>
  Promise.resolve(ServerProcess.installed(NATS_SERVER)),
);

describe.skipIf(!hasChromium || !hasNats)('dashboard: a broker output connection', () => {
  let server: ServerProcess;
  let router: RouterProcess;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    const port = await freePort();
    server = new ServerProcess(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], port);
    await server.start();
    router = await startRouter({ NATS_HOSTPORT: `nats://127.0.0.1:${port}`, NATS_RECONNECTWAIT: '200ms' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
    await server?.stop();
  });

  /** The connection state the NATS card shows (evaluated in the page). */
  const shows = (s: string): boolean =>
    document
      .querySelector('[data-testid="output-nats"] [data-testid="connection"]')
      ?.getAttribute('data-state') === s;

  it('shows the NATS connection connected, reconnecting with the error while the server is stopped, then connected', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(`${router.url}/ui/outputs`);
    const card = page.getByTestId('output-nats');
    await card.waitFor();
    expect(await router.post(falcoEvent(1))).toBe(200);
    await page.waitForFunction(shows, 'connected', { timeout: 20_000 });

    await server.stop();
    await page.waitForFunction(shows, 'reconnecting', { timeout: 30_000 });
    // the attempts count up while the server is away (the page polls every few seconds)
    await card.getByText(/failed attempt/).waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('connection-error').textContent()).toMatch(/disconnected/);

    await server.start();
    await page.waitForFunction(shows, 'connected', { timeout: 30_000 });
    expect(await card.getByTestId('connection').textContent()).toMatch(/2 connections, 1 lost/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
