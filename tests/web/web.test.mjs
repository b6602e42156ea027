// Browser tests of the walkaway web app (see harness.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, tempDatabase, screenshotDir } from './harness.mjs';

const database = tempDatabase();
const shots = screenshotDir();
let server;
let browser;

before(async () => {
  server = await startServer(database);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens "Simulation settings" (as a person would) and sets the number of futures. */
async function setTrajectories(page, n) {
  const details = page.locator('details', { hasText: 'Simulation settings' });
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await page.fill('#trajectories', String(n));
}

async function answer(page, choices) {
  for (const [question, value] of Object.entries(choices)) {
    await page.locator(`fieldset[data-question="${question}"] input[value="${value}"]`).check();
  }
}

test('answer the questionnaire and see the forecast with its chart', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.waitForSelector('fieldset[data-question="plan"]');
  assert.ok(await page.locator('fieldset').count() >= 16);
  await answer(page, { satisfaction: 1, negativity: 3, partner_effort: 1, your_effort: 4, your_love: 2, plan: 4 });
  // Keyboard: radios are reachable and movable with the arrow keys.
  await page.locator('fieldset[data-question="social"] input[value="0"]').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('fieldset[data-question="social"] input[value="1"]').isChecked(), true);
  await setTrajectories(page, 300);
  await page.screenshot({ path: join(shots, 'questionnaire.png'), fullPage: false });
  await page.click('#see-forecast');
  await page.waitForURL(/\/forecast$/);
  await page.waitForSelector('[data-testid="fan-chart"] canvas');
  const verdict = await page.textContent('[data-testid="reciprocity"]');
  assert.match(verdict, /One-sided/);
  assert.match(verdict, /whether or not your partner comes back/);
  assert.match(await page.textContent('[data-testid="comes-back"]'), /simulated futures/);
  assert.ok(await page.locator('[data-testid="outcomes"] tr').count() >= 6);
  assert.ok(await page.locator('[data-testid="strategies"] tr').count() >= 3);
  assert.match(await page.textContent('[data-testid="limits"]'), /not a prophecy/);
  assert.equal(await page.locator('[data-testid="safety-notice"]').count(), 0);
  // The chart has drawn something: the canvas is not blank.
  const inked = await page.$eval('[data-testid="fan-chart"] canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  assert.ok(inked > 1000, `fan chart pixels: ${inked}`);
  await page.screenshot({ path: join(shots, 'forecast.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the safety path leads with the notice instead of a strategy', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.waitForSelector('#safety-afraid');
  await page.check('#safety-afraid');
  await page.check('#safety-monitoring');
  await setTrajectories(page, 100);
  await page.click('#see-forecast');
  await page.waitForURL(/\/forecast$/);
  const notice = page.locator('[data-testid="safety-notice"]');
  await notice.waitFor();
  const text = await notice.textContent();
  assert.match(text, /safety comes first/i);
  assert.match(text, /warning sign, not proof of love/);
  assert.match(text, /emergency/);
  // The notice is the first thing on the page, and no strategies are compared.
  const first = await page.$eval('#app', (a) => a.firstElementChild.getAttribute('data-testid'));
  assert.equal(first, 'safety-notice');
  assert.equal(await page.locator('[data-testid="strategies"]').count(), 0);
  assert.equal(await page.locator('[data-testid="numbers-behind-notice"]').getAttribute('open'), null);
  await page.screenshot({ path: join(shots, 'safety.png'), fullPage: false });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a bad value shows an error naming the field', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.waitForSelector('fieldset[data-question="plan"]');
  await setTrajectories(page, 5);
  await page.click('#see-forecast');
  const error = page.locator('[data-testid="error"]');
  await error.waitFor();
  const text = await error.textContent();
  assert.match(text, /trajectories/);
  assert.match(text, /from 100 to 20000/);
  assert.match(page.url(), /\/$/);
  await page.context().close();
});

test('moving a slider changes the plot', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/explore?model=strogatz`);
  const timing = page.locator('[data-testid="timing"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="timing"]')?.dataset.seq === '1');
  const before = await page.$eval('[data-testid="phase-portrait"]', (c) => c.toDataURL());
  const seriesBefore = await page.getAttribute('[data-testid="time-series"]', 'data-last');
  assert.ok(await page.locator('[data-testid="equilibria"] li').count() >= 1);
  const slider = page.locator('[data-testid="controls"] input[type="range"]').first();
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="timing"]').dataset.seq) >= 2);
  // Wait until the last key press has been answered.
  await page.waitForTimeout(300);
  await page.waitForFunction(() => !document.querySelector('[data-testid="timing"]').textContent.includes('…'));
  const after = await page.$eval('[data-testid="phase-portrait"]', (c) => c.toDataURL());
  const seriesAfter = await page.getAttribute('[data-testid="time-series"]', 'data-last');
  assert.notEqual(after, before, 'the phase portrait changed');
  assert.notEqual(seriesAfter, seriesBefore, 'the time series changed');
  assert.match(await timing.textContent(), /Answered in \d+ ms \(server \d+(\.\d+)? ms\)/);
  assert.equal(await page.locator('[data-testid="error"]').count(), 0);
  await page.click('#bif-draw');
  await page.waitForFunction(() => document.querySelector('[data-testid="bifurcation"]').dataset.drawn === 'yes');
  await page.screenshot({ path: join(shots, 'explore.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('save, restart the server, find it again; delete all my data', async () => {
  let page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.waitForSelector('fieldset[data-question="plan"]');
  await answer(page, { satisfaction: 3, plan: 2 });
  await setTrajectories(page, 100);
  await page.click('#see-forecast');
  await page.waitForSelector('#save-forecast');
  await page.click('#save-forecast');
  await page.waitForFunction(() => /Saved \(number \d+\)/.test(document.querySelector('[data-testid="save-status"]').textContent));
  await page.context().close();

  await server.stop();
  server = await startServer(database);

  page = await newPage(browser);
  await page.goto(`${server.url}/saved`);
  const row = page.locator('[data-testid="saved-list"] tr[data-id]');
  await row.first().waitFor();
  assert.equal(await row.count(), 1);
  assert.match(await row.first().textContent(), /no contact for 30 days/);
  await page.screenshot({ path: join(shots, 'saved.png'), fullPage: false });
  await row.first().locator('a', { hasText: 'Open' }).click();
  await page.waitForURL(/\/forecast\?saved=\d+/);
  await page.waitForSelector('[data-testid="fan-chart"] canvas');
  assert.match(await page.textContent('[data-testid="reopened"]'), /Saved forecast/);

  await page.goto(`${server.url}/saved`);
  await row.first().waitFor();
  page.once('dialog', (d) => d.accept());
  await page.click('#delete-all');
  await page.locator('[data-testid="empty"]').waitFor();
  assert.match(await page.textContent('[data-testid="status"]'), /Deleted 1 item/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('settings saved on the explorer reopen there with their values', async () => {
  let page = await newPage(browser);
  await page.goto(`${server.url}/explore?model=strogatz`);
  await page.waitForFunction(() => document.querySelector('[data-testid="timing"]')?.dataset.seq === '1');
  const slider = page.locator('[data-testid="controls"] input[type="range"]').first();
  const name = await slider.getAttribute('data-param');
  const initial = Number(await slider.inputValue());
  await slider.focus();
  for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight');
  const moved = Number(await slider.inputValue());
  assert.ok(moved > initial, `the slider moved (${initial} → ${moved})`);
  await page.click('#save-scenario');
  await page.waitForFunction(() => /Saved \(number \d+\)/.test(document.querySelector('[data-testid="save-status"]').textContent));
  await page.context().close();

  page = await newPage(browser);
  await page.goto(`${server.url}/saved`);
  const row = page.locator('[data-testid="saved-list"] tr[data-id]', { hasText: 'Strogatz' });
  await row.first().waitFor();
  await row.first().locator('a', { hasText: 'Open' }).click();
  await page.waitForURL(/\/explore\?saved=\d+/);
  await page.waitForSelector('[data-testid="reopened"]');
  const reopened = page.locator(`[data-testid="controls"] input[data-param="${name}"]`);
  assert.equal(Number(await reopened.inputValue()), moved, `${name} came back as saved`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="timing"]')?.dataset.seq) >= 1);
  assert.equal(await page.locator('[data-testid="error"]').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
