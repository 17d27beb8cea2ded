import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { serviceAvailable } from '@falconer/testing';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';
import { chromiumInstalled, launchChromium, openPage } from './browser';
import { falcoEvent, postBatch, postLoad } from './falco-events';

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());

interface PerfWindow {
  __perf: { frames: number[]; longtasks: number[]; since: number };
}

/** Frame intervals (rAF) and long tasks, recorded in the page from now on. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as PerfWindow;
    w.__perf = { frames: [], longtasks: [], since: performance.now() };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__perf.longtasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const loop = (t: number): void => {
      w.__perf.frames.push(t - last);
      last = t;
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
}

async function takeRecording(page: Page): Promise<{ frames: number[]; longtasks: number[]; ms: number }> {
  return page.evaluate(() => {
    const w = window as unknown as PerfWindow;
    const out = {
      frames: w.__perf.frames.slice(1),
      longtasks: w.__perf.longtasks,
      ms: performance.now() - w.__perf.since,
    };
    w.__perf = { frames: [], longtasks: [], since: performance.now() };
    return out;
  });
}

/** Click → DOM updated, measured inside the page (React handles the click and commits). */
function clickLatency(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((done) => {
        const b = document.querySelector('[data-testid=pause]') as HTMLButtonElement;
        const before = b.getAttribute('aria-pressed');
        const t0 = performance.now();
        const mo = new MutationObserver(() => {
          if (b.getAttribute('aria-pressed') !== before) {
            mo.disconnect();
            // the next frame is when the user sees it
            requestAnimationFrame(() => done(performance.now() - t0));
          }
        });
        mo.observe(b, { attributes: true });
        b.click();
      }),
  );
}

/** Median time from a 2 000 px jump of the feed's scrollTop to the second frame after it (in the page). */
function scrollStep(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const el = document.querySelector('[data-testid=feed]') as HTMLElement;
    el.scrollTop = 0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      el.scrollTop += 2_000;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    el.scrollTop = 0;
    return times[10] ?? 0;
  });
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
function summary(r: { frames: number[]; longtasks: number[]; ms: number }): string {
  return (
    `frames ${r.frames.length} in ${(r.ms / 1000).toFixed(1)} s (${((r.frames.length * 1000) / r.ms).toFixed(0)} fps); ` +
    `frame time p50 ${pct(r.frames, 50).toFixed(1)} ms, p95 ${pct(r.frames, 95).toFixed(1)} ms, p99 ${pct(r.frames, 99).toFixed(1)} ms, max ${Math.max(0, ...r.frames).toFixed(0)} ms; ` +
    `long tasks ${r.longtasks.length}, total ${sum(r.longtasks).toFixed(0)} ms (${((sum(r.longtasks) / r.ms) * 100).toFixed(1)}% of the time), longest ${Math.max(0, ...r.longtasks).toFixed(0)} ms`
  );
}

describe.skipIf(!hasChromium)('dashboard: live page under load', () => {
  let router: RouterProcess;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    // 1 000 events/s to one browser on a 2-core machine shared with the load generator: a dashboard meant
    // for such rates gets a larger per-socket budget than the 256 KiB default (issue 20: the default keeps
    // 200 stalled sockets' memory bounded)
    router = await launchRouter({ env: { LIVE_BUFFERBYTES: String(4 * 1024 * 1024) } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await router?.stop();
  });

  it('stays responsive with 1 000 events/s arriving, and scrolls smoothly through 50 000 rows', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(`${router.url}/ui`);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();

    // 1) 1 000 events/s for 12 s; measure 8 s in the middle
    const load = postLoad(router.url, 1000, 12);
    await page.waitForTimeout(2_000);
    const rowCount = async (): Promise<number> =>
      Number(((await page.getByTestId('row-count').textContent()) ?? '0').split(' ')[0]?.replace(/,/g, ''));
    const rowsBefore = await rowCount();
    await startRecording(page);
    const clicks: number[] = [];
    for (let i = 0; i < 8; i++) {
      await page.waitForTimeout(1_000);
      clicks.push(await clickLatency(page));
    }
    const underLoad = await takeRecording(page);
    const arrived = ((await rowCount()) - rowsBefore) / (underLoad.ms / 1000);
    const sent = await load;
    if (clicks.length % 2 === 1) await clickLatency(page); // leave it running
    await page.waitForFunction(
      (n) =>
        (document.querySelector('[data-testid=row-count]')?.textContent ?? '').startsWith(
          n.toLocaleString('en-US'),
        ),
      sent.ok,
      {
        timeout: 10_000,
      },
    );
    const machine = `load average ${loadavg()[0]?.toFixed(1)} on this 2-core machine shared with the router, the load generator and other work`;
    console.log(
      `load: ${sent.ok} events sent on a 1 000/s schedule, all accepted after ${sent.seconds.toFixed(1)} s (${sent.failed} failed) and all on the live page; ${machine}\n` +
        `live page while ${arrived.toFixed(0)} events/s arrived: ${summary(underLoad)}; pause/resume click → next frame p50 ${pct(clicks, 50).toFixed(1)} ms, max ${Math.max(...clicks).toFixed(1)} ms`,
    );
    expect(sent.failed).toBe(0);
    // the router shares the cores: what reaches the page is what it could ingest meanwhile
    expect(arrived).toBeGreaterThan(500);
    // main-thread figures are the page's own; frame pacing also depends on what else runs on the 2 cores
    expect(sum(underLoad.longtasks) / underLoad.ms).toBeLessThan(0.25);
    expect(Math.max(0, ...underLoad.longtasks)).toBeLessThan(250);
    expect(Math.max(...clicks)).toBeLessThan(100);
    expect(pct(underLoad.frames, 50)).toBeLessThan(34);
    const stepSmall = await scrollStep(page);

    // 2) fill to 50 000 rows (NDJSON batches, paced so the socket keeps up), then scroll through them
    let total = sent.ok;
    for (let b = 0; total < 50_000; b++) {
      const n = Math.min(1_000, 50_000 - total);
      const bodies = Array.from({ length: n }, (_, k) => falcoEvent(total + k));
      expect(await postBatch(router.url, bodies)).toBe(200);
      total += n;
      await page.waitForTimeout(200);
    }
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=row-count]')?.textContent ?? '').startsWith('50,000'),
      undefined,
      {
        timeout: 30_000,
      },
    );
    // the cost of moving through the list must not grow with its length (windowing works)
    const stepLarge = await scrollStep(page);
    const feed = page.getByTestId('feed');
    await feed.hover();
    await startRecording(page);
    for (let i = 0; i < 60; i++) {
      await page.mouse.wheel(0, 4_000);
      await page.waitForTimeout(16);
    }
    await feed.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(300);
    const scrolling = await takeRecording(page);
    const lastRow = await page.locator('.feed-row').last().getAttribute('data-uuid');
    const domRows = await page.locator('.feed-row').count();
    console.log(
      `scroll step (2 000 px jump → second frame), median: ${stepSmall.toFixed(1)} ms with ${sent.ok} rows, ${stepLarge.toFixed(1)} ms with 50 000 rows\n` +
        `50 000 rows, wheel-scrolling then jumping to the end: ${summary(scrolling)}; ${domRows} rows in the DOM; load average ${loadavg()[0]?.toFixed(1)}`,
    );
    expect(lastRow).not.toBeNull();
    expect(domRows).toBeLessThan(100);
    expect(stepLarge).toBeLessThan(stepSmall * 2 + 20);
    expect(errors).toEqual([]);
    await context.close();
  });
});
