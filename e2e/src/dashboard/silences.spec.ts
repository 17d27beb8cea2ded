import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { EventDetail, SearchResponse } from '@falconer/contracts';
import { Receiver, serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import {
  DASHBOARD_ENV,
  SCREENSHOTS_DIR,
  chromiumInstalled,
  launchChromium,
  basicAuth,
  dashboardUsersConfig,
  signIn,
} from './browser';
import { falcoEvent } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());
const OPERATOR = basicAuth('alice');
const SHELL = 'Terminal shell in container';
// falcoEvent(i): i % 8 === 0 is the shell rule, i % 8 === 1 "Write below binary dir"
const shell = (marker: string): string => falcoEvent(0, { host: 'worker-1', marker });
const other = (marker: string): string => falcoEvent(1, { host: 'worker-1', marker });

/** Issue 18's must-show: an operator silences a rule from an event's detail; a viewer cannot. */
describe.skipIf(!hasChromium)('silences in the dashboard (issue 18)', () => {
  let router: RouterProcess;
  let browser: Browser;
  let receiver: Receiver;

  const delivered = (marker: string): boolean =>
    receiver.requests.some((r) => r.text.includes(`marker=${marker})`));
  const signInAs = async (user: string): Promise<Page> =>
    (await signIn(browser, router.url, user, '/ui/login')).page;
  const stored = async (marker: string): Promise<EventDetail> => {
    const search = (await (
      await fetch(`${router.url}/api/v1/events/search?filter=${encodeURIComponent(`marker=${marker}`)}`, {
        headers: { authorization: OPERATOR },
      })
    ).json()) as SearchResponse;
    const uuid = search.results[0]?.uuid ?? 'missing';
    return (await (
      await fetch(`${router.url}/api/v1/events/${uuid}`, { headers: { authorization: OPERATOR } })
    ).json()) as EventDetail;
  };

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    receiver = await Receiver.start();
    const config = dashboardUsersConfig({ alice: 'operator', victor: 'viewer' });
    router = await launchRouter({
      env: {
        ...DASHBOARD_ENV,
        FALCONER_CONFIG: config,
        WEBHOOK_ADDRESS: `${receiver.url}/hook`,
      },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
    await receiver?.close();
  });

  it('silences a rule on a host from the event detail; its next events are marked and kept from the webhook until the silence is expired', async () => {
    const page = await signInAs('alice');
    expect(await router.post(shell('seed'))).toBe(200);
    await page.locator('.feed-row', { hasText: 'marker=seed' }).click();
    const drawer = page.getByTestId('event-drawer');
    await drawer.getByRole('button', { name: 'Silence…' }).click();
    const form = drawer.getByTestId('silence-form');
    // the preset: this rule on this host, for 1 h
    expect(
      await form.getByRole('button', { name: 'This rule on worker-1' }).getAttribute('aria-pressed'),
    ).toBe('true');
    expect(await form.getByLabel('Rule').inputValue()).toBe(SHELL);
    expect(await form.getByLabel('Host').inputValue()).toBe('worker-1');
    expect(await form.getByLabel('Duration').inputValue()).toBe('1h');
    await form.getByLabel('Comment').fill('noisy during the migration');
    await page.screenshot({ path: resolve(SCREENSHOTS_DIR, 'silence-from-detail-light.png') });
    await form.getByRole('button', { name: 'Create silence' }).click();
    const created = (await form.getByTestId('silence-created').textContent()) ?? '';
    const id = /Silence (\S+) created/.exec(created)?.[1] ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await drawer.getByRole('button', { name: 'Close (Esc)' }).click();

    expect(await router.post(shell('muted-1'))).toBe(200);
    expect(await router.post(other('passes-1'))).toBe(200);
    // marked in the feed, with the silence's id
    const row = page.locator('.feed-row', { hasText: 'marker=muted-1' });
    expect(await row.getByTestId('silenced-badge').getAttribute('data-silences')).toBe(id);
    await page.locator('.feed-row', { hasText: 'marker=passes-1' }).waitFor();
    expect(
      await page.locator('.feed-row', { hasText: 'marker=passes-1' }).getByTestId('silenced-badge').count(),
    ).toBe(0);
    // the other rule reaches the webhook; the silenced one does not (it would have been sent before it)
    await expect.poll(() => delivered('passes-1'), { timeout: 15_000 }).toBe(true);
    expect(delivered('muted-1')).toBe(false);
    expect(delivered('seed')).toBe(true);
    const detail = await stored('muted-1');
    expect(detail.event.silenced).toEqual([id]);
    expect(detail.deliveries).toMatchObject([
      { output: 'webhook', state: 'silenced', attempts: 0, detail: id },
    ]);
    // the detail drawer of the silenced event says so too
    await row.click();
    await drawer.getByTestId('deliveries').filter({ hasText: 'silenced' }).waitFor();
    // and the explorer marks it
    await page.goto(`${router.url}/ui/explorer?filter=${encodeURIComponent('marker=muted-1')}`);
    const badge = page.locator('table [data-testid="silenced-badge"]');
    await badge.waitFor();
    expect(await badge.getAttribute('data-silences')).toBe(id);

    // the Silences page lists it; Expire ends it now, and the rule's next events reach the webhook again
    await page.getByRole('link', { name: 'Silences' }).click();
    const listed = page.locator(`tr[data-silence="${id}"]`);
    expect(await listed.getAttribute('data-state')).toBe('active');
    expect(await listed.textContent()).toMatch(
      /rule is \[Terminal shell in container\] and hostname is \[worker-1\].*alice.*noisy during the migration/,
    );
    await page.screenshot({ path: resolve(SCREENSHOTS_DIR, 'silences-light.png') });
    await listed.getByRole('button', { name: 'Expire' }).click();
    await page.locator(`tr[data-silence="${id}"][data-state="expired"]`).waitFor();
    expect(await router.post(shell('after-expire'))).toBe(200);
    await expect.poll(() => delivered('after-expire'), { timeout: 15_000 }).toBe(true);
    expect((await stored('after-expire')).event.silenced).toBeUndefined();
    expect(delivered('muted-1')).toBe(false);
    await page.context().close();
  });

  it('ends a silence at its endsAt: the rule reaches the webhook again without anyone expiring it', async () => {
    const endsAt = new Date(Date.now() + 8_000);
    const res = await fetch(`${router.url}/api/v1/silences`, {
      method: 'POST',
      headers: { authorization: OPERATOR, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { rules: { include: [SHELL] } }, endsAt: endsAt.toISOString() }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await router.post(shell('short-1'))).toBe(200);
    expect((await stored('short-1')).event.silenced).toEqual([id]);
    // past endsAt (rounded up to its second) the same rule is sent again
    await new Promise((r) =>
      setTimeout(r, Math.max(0, Math.ceil(endsAt.getTime() / 1000) * 1000 - Date.now() + 50)),
    );
    expect(await router.post(shell('short-2'))).toBe(200);
    await expect.poll(() => delivered('short-2'), { timeout: 15_000 }).toBe(true);
    expect((await stored('short-2')).event.silenced).toBeUndefined();
    expect(delivered('short-1')).toBe(false);
  });

  it('gives a viewer no Silence… button and no form, and the API answers a viewer 403', async () => {
    const page = await signInAs('victor');
    expect(await router.post(shell('viewer-sees'))).toBe(200);
    await page.locator('.feed-row', { hasText: 'marker=viewer-sees' }).click();
    const drawer = page.getByTestId('event-drawer');
    await drawer.getByTestId('output-line').waitFor();
    // the role is known once /whoami answered: wait for it before checking the button is absent
    await page.waitForFunction(async () => (await (await fetch('/api/v1/whoami')).json()).role === 'viewer');
    expect(await drawer.getByRole('button', { name: 'Silence…' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Silences' }).click();
    await page.getByRole('heading', { name: 'Silences' }).waitFor();
    expect(await page.getByRole('button', { name: 'New silence' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Expire' }).count()).toBe(0);
    // the same request the operator's form sends, from the viewer's signed-in page
    const answer = await page.evaluate(async () => {
      const r = await fetch('/api/v1/silences', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          filter: { rules: { include: ['Terminal shell in container'] } },
          duration: '1h',
        }),
      });
      return { status: r.status, body: (await r.json()) as { error: string } };
    });
    expect(answer).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    await page.context().close();
  });
});
