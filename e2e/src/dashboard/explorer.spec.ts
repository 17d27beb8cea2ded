import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fixture, serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import { DASHBOARD_ENV, chromiumInstalled, launchChromium, openPage } from './browser';
import { falcoEvent } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());

/** Text of one column for every result row. */
async function column(page: Page, index: number): Promise<string[]> {
  return page
    .locator('[data-testid=results] tr')
    .evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent ?? ''), index);
}
async function uuids(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid=results] tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-uuid') ?? ''));
}
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('table.events')?.getAttribute('aria-busy') === 'false',
  );
}

/**
 * Waits until every result row shows `value` in column `index`: the table holds the new query's rows.
 * (`settled` alone can see the previous query's idle state right after the URL changed.)
 */
async function rowsShow(page: Page, index: number, value: string): Promise<void> {
  await page.waitForFunction(
    ([i, v]) => {
      const rows = [...document.querySelectorAll('[data-testid=results] tr')];
      return rows.length > 0 && rows.every((r) => r.children[i]?.textContent === v);
    },
    [index, value] as const,
  );
}

describe.skipIf(!hasChromium)('dashboard: events explorer', () => {
  let router: RouterProcess;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    router = await launchRouter({ env: { ...DASHBOARD_ENV } });
    browser = await launchChromium();
    for (let i = 0; i < 24; i++) expect(await router.post(falcoEvent(i))).toBe(200);
    // Critical events the filters will single out: namespace shop AND the word "needle"
    expect(await router.post(falcoEvent(100, { priority: 'Critical', ns: 'shop', marker: 'needle' }))).toBe(
      200,
    );
    expect(await router.post(falcoEvent(101, { priority: 'Critical', ns: 'shop', marker: 'needle' }))).toBe(
      200,
    );
    expect(await router.post(falcoEvent(102, { priority: 'Critical', ns: 'shop', marker: 'hay' }))).toBe(200);
    expect(
      await router.post(falcoEvent(103, { priority: 'Critical', ns: 'payments', marker: 'needle' })),
    ).toBe(200);
    expect(await router.post(fixture('write-below-binary-dir'))).toBe(200);
    expect(await router.post(fixture('shell-in-container'))).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
  });

  it('filters narrow the table, live in the URL and survive a reload', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(`${router.url}/ui/explorer`);
    await page.locator('[data-testid=results] tr').first().waitFor();
    await settled(page);
    const all = (await uuids(page)).length;
    expect(all).toBe(30);

    await page.getByRole('group', { name: 'Priority' }).getByRole('button', { name: 'Critical' }).click();
    await page.waitForURL(/priority=Critical/);
    await rowsShow(page, 1, 'Critical');
    await settled(page);
    const critical = await column(page, 1);
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.length).toBeLessThan(all);
    expect(new Set(critical)).toEqual(new Set(['Critical']));

    await page.getByLabel('Namespace', { exact: true }).fill('shop');
    await page.getByLabel('Search', { exact: true }).fill('needle');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/namespace=shop/);
    await rowsShow(page, 5, 'shop');
    await settled(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('priority')).toBe('Critical');
    expect(url.searchParams.get('namespace')).toBe('shop');
    expect(url.searchParams.get('filter')).toBe('needle');
    const narrowed = await uuids(page);
    expect(narrowed).toHaveLength(2);
    expect(critical.length).toBeGreaterThan(narrowed.length);
    expect(new Set(await column(page, 5))).toEqual(new Set(['shop']));

    await page.reload();
    await page.locator('[data-testid=results] tr').first().waitFor();
    await settled(page);
    expect(page.url()).toBe(url.toString());
    expect(await uuids(page)).toEqual(narrowed);
    expect(await page.getByLabel('Namespace', { exact: true }).inputValue()).toBe('shop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens the detail drawer with the 19-digit evt.time exact, deliveries, and a matching export', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(`${router.url}/ui/explorer?filter=${encodeURIComponent('/bin/hack')}`);
    const row = page.locator('[data-testid=results] tr').first();
    await row.waitFor();
    await settled(page);
    expect(await uuids(page)).toHaveLength(1);
    await row.click();
    const drawer = page.getByTestId('event-drawer');
    await drawer.waitFor();
    expect(await drawer.locator('[data-field="evt.time"] td').textContent()).toBe('1507591916746609046');
    expect(await drawer.getByTestId('output-line').textContent()).toContain(
      'File below a known binary directory opened for writing',
    );
    await drawer
      .locator('[data-testid=deliveries], p:has-text("No output matched this event.")')
      .first()
      .waitFor();
    expect(page.url()).toContain('event=');

    // the shared link opens the same drawer
    const shared = page.url();
    const second = await context.newPage();
    await second.goto(shared);
    expect(await second.getByTestId('event-drawer').locator('[data-field="evt.time"] td').textContent()).toBe(
      '1507591916746609046',
    );

    // export of the current filter: the same event, digits intact
    const href = await page.getByTestId('export-ndjson').getAttribute('href');
    expect(href).toBe('/api/v1/events/export?filter=%2Fbin%2Fhack');
    const res = await page.request.get(`${router.url}${href}`);
    expect(res.status()).toBe(200);
    const lines = (await res.text()).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"evt.time":1507591916746609046');

    // the time range narrows too: the fixture is from 2019
    await drawer.getByRole('button', { name: 'Close (Esc)' }).click();
    await drawer.waitFor({ state: 'detached' });
    await page.locator('select[name=since]').selectOption('15m');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/since=15m/);
    await page.getByText('No events match these filters.').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
