// What the browser tests share: Debian's chromium through playwright-core,
// a page per test that records console errors, logging in, screenshots.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.LEEN_WEB_URL || 'http://127.0.0.1:8080';
export const PASSWORD = process.env.LEEN_WEB_PASSWORD || 'balie-wachtwoord-1';
const SHOTS = process.env.LEEN_WEB_SHOTS || join(tmpdir(), 'leen-web-screenshots');
mkdirSync(SHOTS, { recursive: true });

export const SIZES = [
  { name: 'phone', width: 390, height: 844, set: 0 },
  { name: 'laptop', width: 1280, height: 800, set: 1 },
];

// The items and households of a screen size (see seed.sql).
export function data(size) {
  const n = size.set * 10;
  const code = (i) => `FB${String(n + i).padStart(4, '0')}`;
  const hh = (k) => 20000 + size.set * 10 + k;
  return { code, hh };
}

// Chromium with a fresh profile (playwright passes it as --user-data-dir).
// Each test opens its own tab: sessionStorage, and so the login, is per tab.
export async function launch() {
  const dir = mkdtempSync(join(tmpdir(), 'leen-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.LEEN_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    locale: 'nl-BE',
    timezoneId: 'Europe/Brussels',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A fresh page at a screen size. page.errors collects console errors and
// uncaught exceptions; page.expectFailed(status) allows the one "Failed to
// load resource" line a deliberate API refusal makes.
export async function openPage(context, size) {
  const page = await context.newPage();
  await page.setViewportSize({ width: size.width, height: size.height });
  page.errors = [];
  page.allowed = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(msg.text());
  });
  page.on('pageerror', (err) => page.errors.push(`uncaught: ${err.message}`));
  page.expectFailed = (status) => page.allowed.push(`status of ${status}`);
  page.size = size;
  page.step = 0;
  return page;
}

// Fails when the page logged an error that no deliberate refusal explains.
export async function finish(page) {
  const left = page.errors.filter((e) => {
    const i = page.allowed.findIndex((a) => e.startsWith('Failed to load resource') && e.includes(a));
    if (i < 0) return true;
    page.allowed.splice(i, 1);
    return false;
  });
  await page.close();
  assert.deepEqual(left, [], 'no console errors');
}

export async function shot(page, flow, what) {
  page.step += 1;
  const file = join(SHOTS, `${page.size.name}-${flow}-${String(page.step).padStart(2, '0')}-${what}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function login(page, username, path = '/') {
  await page.goto(BASE + path);
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.locator('#login').waitFor({ state: 'detached' });
}

// Types into whatever has the focus, then Enter: what a USB scanner does.
export async function scanKeys(page, text) {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

// The scan field has the focus.
export async function assertScanFocused(page) {
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'scan');
}

// The API, with the page's own login, for checking what changed.
export function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(p, { headers: { Authorization: `Bearer ${sessionStorage.getItem('leen.token')}` } });
    return { status: res.status, body: await res.json() };
  }, path);
}

// Every button, menu link and field shown is at least 44 px high (a
// checkbox or radio button: its label), and every field has a label.
export async function assertTouchTargets(page) {
  const bad = await page.evaluate(() => {
    const shown = (el) => el.offsetParent !== null;
    const out = [];
    for (const el of document.querySelectorAll('button, a.button, nav a, input, select, textarea')) {
      if (!shown(el)) continue;
      const box = el.matches('input[type=checkbox], input[type=radio]') ? el.closest('label') : el;
      if (!box || box.getBoundingClientRect().height < 44) out.push(`small: ${el.outerHTML.slice(0, 80)}`);
      if (el.matches('input, select, textarea') && !el.labels.length && !el.getAttribute('aria-label'))
        out.push(`no label: ${el.outerHTML.slice(0, 80)}`);
    }
    return out;
  });
  assert.deepEqual(bad, [], 'touch targets of at least 44 px, a label on every field');
}
