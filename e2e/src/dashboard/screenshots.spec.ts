import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Receiver, fixture, serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import { DASHBOARD_ENV, SCREENSHOTS_DIR, chromiumInstalled, launchChromium, openPage } from './browser';
import { falcoEvent, postBatch } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());

/** Waits until no request is in flight and the page has painted what it got. */
async function quiet(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe.skipIf(!hasChromium)('dashboard: screenshots of every page, light and dark', () => {
  let router: RouterProcess;
  let browser: Browser;
  let receiver: Receiver;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    // a webhook receiver that fails one request in four, so the outputs page has something to show
    receiver = await Receiver.start((_req, i) =>
      i % 4 === 3 ? { status: 503, body: 'overloaded' } : { status: 200 },
    );
    router = await launchRouter({ env: { ...DASHBOARD_ENV, WEBHOOK_ADDRESS: receiver.url } });
    browser = await launchChromium();
    // an hour of history, spread out, so the overview has a shape
    const now = Date.now();
    const bodies: string[] = [];
    for (let i = 0; i < 600; i++)
      bodies.push(falcoEvent(i * 7 + (i % 5), { at: new Date(now - ((i * 6_131) % 3_540_000)) }));
    expect(await postBatch(router.url, bodies)).toBe(200);
    expect(await router.post(fixture('write-below-binary-dir'))).toBe(200);
    expect(await router.post(fixture('shell-in-container'))).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
    await receiver?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: live, explorer, event detail, overview, outputs`, async () => {
      const { page, errors, context } = await openPage(browser, { colorScheme: theme });
      const shot = (name: string): Promise<Buffer> =>
        page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}-${theme}.png`) });

      await page.goto(`${router.url}/ui`);
      await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
      for (let i = 0; i < 30; i++) await router.post(falcoEvent(1000 + i));
      await page.locator('.feed-row').nth(29).waitFor();
      await quiet(page);
      await shot('live');

      await page.getByRole('link', { name: 'Explorer' }).click();
      await page.locator('[data-testid=results] tr').first().waitFor();
      await quiet(page);
      await shot('explorer');
      await page.goto(`${router.url}/ui/explorer?filter=${encodeURIComponent('/bin/hack')}`);
      await page.locator('[data-testid=results] tr').first().click();
      await page.getByTestId('event-drawer').locator('[data-field="evt.time"]').waitFor();
      await quiet(page);
      await shot('explorer-detail');

      await page.goto(`${router.url}/ui/overview?since=1h`);
      await page.getByRole('img', { name: 'Events over time by priority' }).locator('rect').first().waitFor();
      await quiet(page);
      await shot('overview');

      await page.goto(`${router.url}/ui/outputs`);
      await page.locator('[data-testid^="output-"]').first().waitFor();
      // the second poll gives rates
      await page.locator('[data-testid^="output-"] small', { hasText: '/s' }).first().waitFor();
      await quiet(page);
      await shot('outputs');

      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe(theme === 'dark' ? 'rgb(14, 17, 22)' : 'rgb(246, 247, 249)');
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('the theme toggle overrides the system preference and is remembered', async () => {
    const { page, errors, context } = await openPage(browser, { colorScheme: 'light' });
    await page.goto(`${router.url}/ui/overview`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.keyboard.press('t');
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(14, 17, 22)',
    );
    await page.keyboard.press('t');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(246, 247, 249)',
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
