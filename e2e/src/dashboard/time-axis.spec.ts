import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import { DASHBOARD_ENV, SCREENSHOTS_DIR, chromiumInstalled, launchChromium, openPage } from './browser';
import { falcoEvent, postBatch } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());
const MINUTE = 60_000;
/** A zone that is not whole hours from UTC, so labels in UTC or in the machine's zone would show. */
const ZONE = 'Asia/Kolkata';
const LOCALE = 'en-GB';

describe.skipIf(!hasChromium)('dashboard: the overview time axis is time', () => {
  let router: RouterProcess;
  let browser: Browser;
  let postedAt: number;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    router = await launchRouter({ env: { ...DASHBOARD_ENV } });
    browser = await launchChromium();
    // events only in the first and the last minute of the last hour (relative to now, never a fixed date)
    postedAt = Date.now();
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push(falcoEvent(i, { at: new Date(postedAt - 59 * MINUTE - 20_000) }));
    for (let i = 0; i < 9; i++) bodies.push(falcoEvent(10 + i, { at: new Date(postedAt - 20_000) }));
    expect(await postBatch(router.url, bodies)).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
  });

  it('1 h with events in its first and last minutes: bars at both edges, zeros between, local labels', async () => {
    const { page, errors, context } = await openPage(browser, { timezoneId: ZONE, locale: LOCALE });
    await page.goto(`${router.url}/ui/overview?since=1h`);
    const chart = page.getByRole('img', { name: 'Events over time by priority' });
    await chart.locator('rect').first().waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=counter-total] .counter-value')?.textContent === '15',
    );
    const slots = await chart
      .locator('g.slot')
      .evaluateAll((gs) =>
        gs.map((g) => [Number(g.getAttribute('data-total')), g.querySelectorAll('rect').length]),
      );
    // one slot per minute over the whole hour (the partly covered minutes at both ends included)
    expect(slots.length).toBe(61);
    const withBars = slots.flatMap(([, rects], i) => ((rects ?? 0) > 0 ? [i] : []));
    // the page may open some seconds after the POST: the first events stay within the first two slots
    expect(withBars.length).toBe(2);
    expect(withBars[0]).toBeLessThanOrEqual(1);
    expect(withBars[1]).toBeGreaterThanOrEqual(slots.length - 2);
    expect(slots.map(([n]) => n).filter((n) => (n ?? 0) > 0)).toEqual([6, 9]);

    // tick labels are round times of the browser's zone (here UTC+5:30), e.g. 09:40, 09:50…
    const labels = await chart.locator('.time-tick text').allTextContents();
    const fmt = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, hour: '2-digit', minute: '2-digit' });
    const expected = new Set<string>();
    for (let t = Math.floor((postedAt - 62 * MINUTE) / MINUTE) * MINUTE; t < Date.now() + MINUTE; t += MINUTE)
      expected.add(fmt.format(t));
    expect(labels.length).toBeGreaterThanOrEqual(5);
    for (const l of labels) {
      expect(expected.has(l), `${l} is a time of ${ZONE} in the last hour`).toBe(true);
      expect(l).toMatch(/^\d\d:\d0$/);
    }

    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'overview-time-axis.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
