import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Receiver, serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import { chromiumInstalled, launchChromium, openPage } from './browser';
import { falcoEvent } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());

describe.skipIf(!hasChromium)('dashboard: outputs', () => {
  let router: RouterProcess;
  let browser: Browser;
  let receiver: Receiver;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    receiver = await Receiver.start(() => ({ status: 200 }));
    router = await launchRouter({ env: { WEBHOOK_ADDRESS: receiver.url } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
    await receiver?.close().catch(() => undefined);
  });

  it('shows a healthy webhook output, then a failing one after its receiver goes down', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(`${router.url}/ui/outputs`);
    const card = page.locator('[data-testid^="output-"]', { hasText: 'webhook' }).first();
    await card.waitFor();
    expect(await router.post(falcoEvent(1))).toBe(200);
    await receiver.waitFor(1);
    await page.waitForFunction(
      () => document.querySelector('[data-testid^="output-"]')?.getAttribute('data-health') === 'ok',
      undefined,
      { timeout: 10_000 },
    );
    expect(await card.getByText(/Sent/).count()).toBeGreaterThan(0);

    await receiver.close();
    const downAt = performance.now();
    for (let i = 0; i < 10; i++) expect(await router.post(falcoEvent(100 + i))).toBe(200);
    await page.waitForFunction(
      () => {
        const h = document.querySelector('[data-testid^="output-"]')?.getAttribute('data-health');
        return h === 'failing' || h === 'degraded';
      },
      undefined,
      { timeout: 60_000 },
    );
    console.log(
      `outputs: webhook shown unhealthy ${((performance.now() - downAt) / 1000).toFixed(1)} s after its receiver closed`,
    );
    await card.getByLabel('Failures by reason').getByText('network').waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('last-error').textContent()).toMatch(/network/);
    await page.waitForFunction(
      () => document.querySelector('[data-testid^="output-"]')?.getAttribute('data-health') === 'failing',
      undefined,
      {
        timeout: 60_000,
      },
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
