// Starts the real `walkaway serve` on a free port with a SQLite file, and a
// headless Debian chromium driven by playwright-core. No mocks: the browser
// talks to the real server, which writes to a real database file.
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, mkdirSync } from 'node:fs';
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

/** A page that fails the test on any page error or failed request. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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
