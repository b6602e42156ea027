// Starts the real `walkaway serve` on a free port with a SQLite file, and a
// headless Debian chromium driven by playwright-core. No mocks: the browser
// talks to the real server, which writes to a real database file.
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');

export function binary() {
  if (process.env.WALKAWAY_BIN) return process.env.WALKAWAY_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(repo, 'target');
  const bin = join(target, 'debug', 'walkaway');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`cargo build -p walkaway\` first or set WALKAWAY_BIN`);
  return bin;
}

export function tempDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'walkaway-web-'));
  return `sqlite://${join(dir, 'walkaway.db')}`;
}

/** Starts the server; resolves to {url, stop()} once it listens. */
export function startServer(database) {
  return new Promise((resolveStart, reject) => {
    const child = spawn(binary(), ['serve', '--addr', '127.0.0.1:0', '--database', database], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${out}`)), 30_000);
    const onData = (chunk) => {
      out += chunk.toString();
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolveStart({
          url: m[1],
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => { out += c.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); if (!out.includes('listening on')) reject(new Error(`server exited with ${code}:\n${out}`)); });
  });
}

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** The two screens every point is checked on. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * A page that fails the test on any page error or failed request.
 * `bypassCSP` lets the tests inject axe-core into pages whose Content
 * Security Policy (rightly) refuses inline scripts. The quick exit's
 * neutral page is answered locally (the tests have no internet).
 */
export async function newPage(browser, viewport = DESKTOP) {
  const phone = viewport.width < 600;
  const context = await browser.newContext({ viewport, bypassCSP: true, isMobile: phone, hasTouch: phone, deviceScaleFactor: phone ? 2 : 1 });
  await context.route('https://www.google.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title><p>neutral page</p>' }));
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) page.problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.url()}`));
  return page;
}

/** Where screenshots go: docs/screenshots/ when WALKAWAY_UPDATE_SCREENSHOTS=1, else a temp folder. */
export function screenshotDir() {
  const dir = process.env.WALKAWAY_UPDATE_SCREENSHOTS === '1' ? join(repo, 'docs', 'screenshots') : join(tmpdir(), 'walkaway-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

const axeSource = readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function axeProblems(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** The document is no wider than the viewport (no sideways scrolling). */
export async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    const viewport = window.innerWidth;
    if (width <= viewport) return null;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > viewport + 1 && !e.closest('.table-scroll, nav, .skip-link'))
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    return `document ${width}px wide on a ${viewport}px screen: ${wide.join(', ')}`;
  });
}
