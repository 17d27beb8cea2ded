import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Receiver, serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import {
  DASHBOARD_ENV,
  SCREENSHOTS_DIR,
  chromiumInstalled,
  launchChromium,
  type WatchedPage,
  basicAuth,
  dashboardUsersConfig,
  signIn,
} from './browser';
import { falcoEvent } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());

/** Issue 18, triage: operators change an event's state from the live feed and the explorer; every open page follows. */
describe.skipIf(!hasChromium)('dashboard: triage and the event timeline (issue 18)', () => {
  let router: RouterProcess;
  let browser: Browser;
  let receiver: Receiver;

  const signInAs = (user: string): Promise<WatchedPage> => signIn(browser, router.url, user);
  const row = (page: Page, marker: string) => page.locator('.feed-row', { hasText: marker });

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    receiver = await Receiver.start();
    const config = dashboardUsersConfig({ alice: 'operator', victor: 'viewer' });
    router = await launchRouter({
      env: {
        ...DASHBOARD_ENV,
        FALCONER_CONFIG: config,
        WEBHOOK_ADDRESS: `${receiver.url}/hook`,
        WEBHOOK_MINIMUMPRIORITY: 'critical',
      },
    });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
    await receiver?.close();
  });

  it('acknowledges from the live feed on one browser; a second browser sees it change without a reload', async () => {
    const operator = await signInAs('alice');
    const viewer = await signInAs('victor');
    let navigations = 0;
    viewer.page.on('framenavigated', () => navigations++);
    // both subscriptions are live once a first event shows on both pages
    expect(await router.post(falcoEvent(1, { marker: 'warm-up', priority: 'Notice' }))).toBe(200);
    await row(operator.page, 'warm-up').waitFor({ timeout: 10_000 });
    await row(viewer.page, 'warm-up').waitFor({ timeout: 10_000 });

    expect(await router.post(falcoEvent(2, { marker: 'ack-me', priority: 'Critical' }))).toBe(200);
    const mine = row(operator.page, 'ack-me');
    const theirs = row(viewer.page, 'ack-me');
    await mine.waitFor({ timeout: 10_000 });
    await theirs.waitFor({ timeout: 10_000 });
    expect(await theirs.getByTestId('triage-state').getAttribute('data-state')).toBe('new');
    // a viewer sees the state and no button to change it
    expect(await theirs.getByTestId('triage-acknowledged').count()).toBe(0);

    await mine.getByTestId('triage-acknowledged').click();
    await mine
      .locator('[data-testid="triage-state"][data-state="acknowledged"]')
      .waitFor({ timeout: 10_000 });
    await theirs
      .locator('[data-testid="triage-state"][data-state="acknowledged"]')
      .waitFor({ timeout: 10_000 });
    expect(await theirs.getByTestId('triage-state').getAttribute('title')).toMatch(/^alice, /);
    expect(navigations).toBe(0);

    // the viewer opens it: the drawer shows the state, who set it, and the timeline
    await theirs.click();
    const drawer = viewer.page.getByTestId('event-drawer');
    await drawer.getByTestId('drawer-triage').filter({ hasText: 'by alice' }).waitFor();
    expect(await drawer.getByTestId('drawer-triage').locator('button').count()).toBe(0);
    const timeline = drawer.getByTestId('timeline');
    await timeline
      .locator('[data-kind="attempt"]', { hasText: 'attempt 1 delivered' })
      .waitFor({ timeout: 15_000 });
    const steps = await timeline
      .locator('li')
      .evaluateAll((lis) =>
        lis.map((li) => `${li.getAttribute('data-kind')}: ${li.querySelector('span')?.textContent ?? ''}`),
      );
    expect(steps).toEqual([
      'received: Received by the router',
      'routed: Routed: matched webhook',
      'attempt: webhook: attempt 1 delivered',
      'triage: Acknowledged by alice',
    ]);
    await viewer.page.screenshot({ path: join(SCREENSHOTS_DIR, 'triage-timeline.png') });
    // the event reached the webhook once
    expect(receiver.requests.filter((r) => r.text.includes('ack-me'))).toHaveLength(1);
    // a viewer's attempt through the API is refused
    const refused = await fetch(`${router.url}/api/v1/events/triage`, {
      method: 'POST',
      headers: { authorization: basicAuth('victor'), 'content-type': 'application/json' },
      body: '{"state":"resolved","query":{}}',
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'forbidden' });

    expect(operator.errors).toEqual([]);
    expect(viewer.errors).toEqual([]);
    await operator.context.close();
    await viewer.context.close();
  });

  it('bulk-resolves a filtered set in the explorer after a confirmation that says how many', async () => {
    const rule = `Bulk rule ${Date.now()}`;
    for (let i = 0; i < 3; i++)
      expect(await router.post(falcoEvent(10 + i, { rule, priority: 'Warning', marker: `bulk-${i}` }))).toBe(
        200,
      );
    const other = `Other rule ${Date.now()}`;
    expect(await router.post(falcoEvent(20, { rule: other, priority: 'Warning', marker: 'keep-new' }))).toBe(
      200,
    );

    const operator = await signInAs('alice');
    const { page } = operator;
    await page.goto(`${router.url}/ui/explorer?rule=${encodeURIComponent(rule)}`);
    await page.getByTestId('result-count').filter({ hasText: '3 events' }).waitFor();
    await page.getByTestId('bulk-resolved').click();
    const confirm = page.getByTestId('bulk-confirm');
    expect(await confirm.textContent()).toContain('Resolve 3 events matching this filter?');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'triage-bulk.png') });
    await page.getByTestId('bulk-confirm-yes').click();
    await page.getByTestId('bulk-result').filter({ hasText: '3 changed' }).waitFor();
    // the rows follow without a reload
    await page
      .getByTestId('results')
      .locator('[data-testid="triage-state"][data-state="resolved"]')
      .nth(2)
      .waitFor({ timeout: 10_000 });

    // filter by state: the resolved ones, then the open ones of both rules
    await page.goto(`${router.url}/ui/explorer?triage=resolved`);
    await page.getByTestId('result-count').filter({ hasText: '3 events' }).waitFor();
    const resolvedRules = await page.getByTestId('results').locator('tr td:nth-child(3)').allTextContents();
    expect(resolvedRules).toEqual([rule, rule, rule]);
    await page.goto(`${router.url}/ui/explorer?rule=${encodeURIComponent(`${rule},${other}`)}`);
    await page.getByTestId('triage-filter').selectOption('new');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('result-count').filter({ hasText: '1 event' }).waitFor();
    expect(await page.getByTestId('results').locator('tr').textContent()).toContain(other);
    expect(page.url()).toContain('triage=new');
    expect(operator.errors).toEqual([]);
    await operator.context.close();
  });
});
