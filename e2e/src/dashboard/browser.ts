import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import { REPO_ROOT } from '../support/router-process';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumInstalled = (): boolean => existsSync(CHROMIUM);

/** Debian's Chromium, headless; no downloads, no background traffic (STACK.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far (the dashboard must produce none). */
  errors: string[];
}

/** A fresh context and page that records every console error and uncaught exception. */
export async function openPage(
  browser: Browser,
  opts: { colorScheme?: 'light' | 'dark'; timezoneId?: string; locale?: string } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    ...(opts.timezoneId === undefined ? {} : { timezoneId: opts.timezoneId }),
    ...(opts.locale === undefined ? {} : { locale: opts.locale }),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    // the console message of a failed request does not name it; record which one it was
    if (r.status() >= 400)
      errors.push(`http ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return { context, page, errors };
}

/**
 * Router environment for dashboard tests: keep history whatever the events' age (the shared fixtures are
 * from 2019 and the default store TTL of 7 days counts from the event's own time).
 */
export const DASHBOARD_ENV: Readonly<Record<string, string>> = { STORE_TTL: '0' };

/**
 * Where e2e screenshots go: an ignored folder (tmp/screenshots) on every test run, so a run leaves the
 * tracked files alone; `npm run screenshots` sets FALCONER_WRITE_SCREENSHOTS=1 to refresh the README's
 * (e2e/screenshots) on purpose.
 */
export const SCREENSHOTS_DIR =
  process.env['FALCONER_WRITE_SCREENSHOTS'] === '1'
    ? resolve(REPO_ROOT, 'e2e/screenshots')
    : resolve(REPO_ROOT, 'tmp/screenshots');

/** The test users' convention: each signs in with the password `<name>-pw`. */
export const passwordOf = (user: string): string => `${user}-pw`;

/** `Authorization: Basic` for a test user (password `<name>-pw`). */
export const basicAuth = (user: string): string =>
  'Basic ' + Buffer.from(`${user}:${passwordOf(user)}`).toString('base64');

/** A router config file (temp dir) with dashboard users, each with the password `<name>-pw`. */
export function dashboardUsersConfig(users: Readonly<Record<string, 'operator' | 'viewer'>>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'falconer-users-')), 'config.yaml');
  const lines = Object.entries(users).map(
    ([name, role]) =>
      `      - { username: ${name}, passwordhash: "${bcrypt.hashSync(passwordOf(name), 4)}", role: ${role} }\n`,
  );
  writeFileSync(file, `auth:\n  dashboard:\n    users:\n${lines.join('')}`);
  return file;
}

/** Signs a test user in on a fresh page (from `path`, default the dashboard) and waits for the live connection. */
export async function signIn(
  browser: Browser,
  routerUrl: string,
  user: string,
  path = '/ui',
): Promise<WatchedPage> {
  const watched = await openPage(browser);
  const { page } = watched;
  await page.goto(`${routerUrl}${path}`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(passwordOf(user));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
  return watched;
}
