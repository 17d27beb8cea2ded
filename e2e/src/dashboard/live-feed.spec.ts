import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { fixture, serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import { DASHBOARD_ENV, chromiumInstalled, launchChromium, openPage } from './browser';
import { falcoEvent } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());

describe.skipIf(!hasChromium)('dashboard: live feed', () => {
  let router: RouterProcess;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    router = await launchRouter({ env: { ...DASHBOARD_ENV } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
  });

  it('shows events POSTed to the router within 1 s, without a reload', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(`${router.url}/ui`);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const marker = `m${Date.now()}-${i}`;
      const posted = performance.now();
      expect(
        await router.post(falcoEvent(i, { marker, priority: i % 2 === 0 ? 'Critical' : 'Notice' })),
      ).toBe(200);
      await page.locator('.feed-row', { hasText: marker }).waitFor({ timeout: 1_000 });
      latencies.push(performance.now() - posted);
    }
    console.log(`live feed: POST → row visible in ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect(navigations).toBe(0);
    // newest on top, priority colour on the row
    const first = page.locator('.feed-row').first();
    expect(await first.getAttribute('class')).toContain('prio-critical-row');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pauses, counts new events in a marker, resumes; keyboard opens the exact 19-digit evt.time', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(`${router.url}/ui/`);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
    // the subscription is live once an event shows up (the socket may connect before the server has it)
    expect(await router.post(falcoEvent(6, { marker: 'before-pause' }))).toBe(200);
    await page.locator('.feed-row', { hasText: 'before-pause' }).waitFor({ timeout: 5_000 });
    await page.keyboard.press('Space');
    expect(await page.getByTestId('pause').getAttribute('aria-pressed')).toBe('true');
    const before = await page.locator('.feed-row').count();
    expect(await router.post(fixture('write-below-binary-dir'))).toBe(200);
    expect(await router.post(falcoEvent(7, { marker: 'paused-2' }))).toBe(200);
    await page.getByTestId('new-marker').filter({ hasText: '2 new' }).waitFor({ timeout: 5_000 });
    expect(await page.locator('.feed-row').count()).toBe(before);
    await page.getByTestId('new-marker').click();
    await page.locator('.feed-row', { hasText: 'paused-2' }).waitFor();
    // keyboard: focus the list, move to the second row (the fixture), open it
    await page.getByTestId('feed').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    const drawer = page.getByTestId('event-drawer');
    await drawer.waitFor();
    expect(await drawer.locator('[data-field="evt.time"] td').textContent()).toBe('1507591916746609046');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!hasChromium)('dashboard: under another base path', () => {
  it('serves every page and its assets under ui.basepath, deep links included', async () => {
    assertBuilt(DASHBOARD_INDEX);
    const router = await launchRouter({ env: { ...DASHBOARD_ENV, UI_BASEPATH: '/falco/dash' } });
    const browser = await launchChromium();
    try {
      const { page, errors } = await openPage(browser);
      await page.goto(`${router.url}/falco/dash/explorer?priority=Critical`);
      await page.getByRole('heading', { name: 'Events explorer' }).waitFor();
      expect(await page.getByRole('button', { name: 'Critical' }).first().getAttribute('aria-pressed')).toBe(
        'true',
      );
      await page.getByRole('link', { name: 'Live' }).click();
      expect(new URL(page.url()).pathname).toBe('/falco/dash');
      await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
      expect(await router.post(falcoEvent(1, { marker: 'based' }))).toBe(200);
      await page.locator('.feed-row', { hasText: 'based' }).waitFor({ timeout: 1_000 });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await router.stop();
    }
  });
});
