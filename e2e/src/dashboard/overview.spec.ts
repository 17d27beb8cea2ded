import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import { DASHBOARD_ENV, chromiumInstalled, launchChromium, openPage } from './browser';
import { falcoEvent } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());

async function total(page: Page): Promise<number> {
  const text = (await page.getByTestId('counter-total').locator('.counter-value').textContent()) ?? '0';
  return Number(text.replace(/,/g, ''));
}

describe.skipIf(!hasChromium)('dashboard: overview', () => {
  let router: RouterProcess;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    router = await launchRouter({ env: { ...DASHBOARD_ENV } });
    browser = await launchChromium();
    for (let i = 0; i < 16; i++) expect(await router.post(falcoEvent(i))).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
  });

  it('counts and charts update live, and a top entry opens the explorer filtered by it', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(`${router.url}/ui/overview`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=counter-total] .counter-value')?.textContent === '16',
    );
    const bars = page.getByRole('img', { name: 'Events over time by priority' }).locator('rect');
    await bars.first().waitFor();
    expect(await page.getByTestId('top-rules').locator('li').count()).toBe(8);

    const sentAt = performance.now();
    for (let i = 0; i < 5; i++)
      expect(await router.post(falcoEvent(100 + i, { rule: 'Brand new rule', priority: 'Emergency' }))).toBe(
        200,
      );
    await page.waitForFunction(
      () => document.querySelector('[data-testid=counter-total] .counter-value')?.textContent === '21',
      undefined,
      {
        timeout: 10_000,
      },
    );
    console.log(
      `overview: counters caught up ${((performance.now() - sentAt) / 1000).toFixed(1)} s after the POSTs, without a reload`,
    );
    expect(await total(page)).toBe(21);
    await page
      .getByTestId('top-rules')
      .getByRole('button', { name: /Brand new rule/ })
      .waitFor();

    await page
      .getByTestId('top-rules')
      .getByRole('button', { name: /Brand new rule/ })
      .click();
    await page.waitForURL(/\/ui\/explorer\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('rule')).toBe('Brand new rule');
    expect(url.searchParams.get('since')).toBe('1h');
    await page.getByTestId('result-count').filter({ hasText: '5 events' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
