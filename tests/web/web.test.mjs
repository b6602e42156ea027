// Browser tests of the walkaway web app (see harness.mjs). Each point is
// checked at 1280×800 and at 390×844: the three example people (one-sided
// and not dangerous; mutual but rough; afraid), quick exit, delete-all,
// no sideways scrolling and axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, newPage, tempDatabase, screenshotDir, axeProblems, overflow, repo, DESKTOP, PHONE } from './harness.mjs';

// The page's own slider ranges (web/ has no package.json saying "module",
// so the file is loaded as a module from its text).
const { sliderRange } = await import(`data:text/javascript,${encodeURIComponent(readFileSync(join(repo, 'web', 'js', 'sliders.js'), 'utf8'))}`);

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

const SCREENS = [['desktop', DESKTOP], ['phone', PHONE]];

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

/** No sideways scrolling and no serious or critical axe-core finding. */
async function checkPage(page, what) {
  assert.equal(await overflow(page), null, `${what}: sideways scrolling`);
  assert.deepEqual(await axeProblems(page), [], `${what}: accessibility`);
}

async function questionnaire(page) {
  await page.goto(`${server.url}/`);
  await page.waitForSelector('fieldset[data-question="plan"]');
}

async function forecastFor(page, choices, safety = [], trajectories = 200) {
  await questionnaire(page);
  await answer(page, choices);
  for (const item of safety) await page.check(`#safety-${item}`);
  await setTrajectories(page, trajectories);
  await page.click('#see-forecast');
  await page.waitForURL(/\/forecast$/);
  await page.waitForSelector('[data-testid="reciprocity"]', { state: 'attached' });
}

const ONE_SIDED = { satisfaction: 1, negativity: 3, partner_effort: 1, your_effort: 4, your_love: 2, plan: 4 };
const MUTUAL_ROUGH = { partner_effort: 3, your_effort: 3, negativity: 2, stress: 3, past_breakups: 2, plan: 2 };

test('the questionnaire: safety first, every question starts on "not sure", help one tap away', async () => {
  for (const [name, screen] of SCREENS) {
    const page = await newPage(browser, screen);
    await questionnaire(page);
    const first = await page.$eval('#questionnaire fieldset', (f) => f.dataset.question);
    assert.equal(first, 'safety', 'the safety questions come first');
    for (const fs of await page.locator('fieldset[data-question]:not([data-question="safety"])').all()) {
      const checked = await fs.locator('input:checked').first();
      assert.equal(await checked.getAttribute('value'), '', `${await fs.getAttribute('data-question')} starts on "not sure"`);
      assert.equal(await fs.locator('input').first().getAttribute('value'), '', '"not sure" is the first option');
    }
    // Private-window advice and the quick exit are there before anything is typed.
    assert.match(await page.textContent('[data-testid="privacy-note"]'), /private/);
    assert.ok(await page.locator('#quick-exit').isVisible());
    await page.click('[data-testid="help-now"] summary');
    await page.selectOption('#help-now-country', 'US');
    assert.match(await page.textContent('[data-testid="helplines"]'), /911.*1-800-799-7233.*Source: .*checked 20\d\d-\d\d-\d\d/s);
    await page.selectOption('#help-now-country', '');
    await page.locator('[data-testid="helpline-unknown"]').waitFor();
    // Touch targets: every answer is at least 44 px high.
    const small = await page.$$eval('.options label, .checks label, button, header.site a', (els) =>
      els.filter((e) => e.getBoundingClientRect().height < 40 || e.getBoundingClientRect().width < 24).map((e) => e.textContent.trim()).slice(0, 5));
    assert.deepEqual(small, [], 'targets of at least 44 px');
    // Keyboard: radios are reachable and movable with the arrow keys.
    await page.locator('fieldset[data-question="social"] input[value="0"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('fieldset[data-question="social"] input[value="1"]').isChecked(), true);
    await checkPage(page, `questionnaire (${name})`);
    await page.screenshot({ path: join(shots, name === 'phone' ? 'questionnaire-phone.png' : 'questionnaire.png'), fullPage: false });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('one-sided and not dangerous: the verdict is named, the choice is left to the person', async () => {
  for (const [name, screen] of SCREENS) {
    const page = await newPage(browser, screen);
    await forecastFor(page, ONE_SIDED, [], name === 'phone' ? 100 : 300);
    await page.waitForSelector('[data-testid="fan-chart"] canvas');
    const verdict = await page.textContent('[data-testid="reciprocity"]');
    assert.match(verdict, /you give clearly more than you get back/);
    assert.match(verdict, /yours to decide/);
    assert.doesNotMatch(verdict, /is right|toxic|article|gap =|×/);
    assert.match(await page.textContent('[data-testid="comes-back"]'), /simulated futures/);
    assert.ok(await page.locator('[data-testid="outcomes"] tr').count() >= 6);
    assert.ok(await page.locator('[data-testid="strategies"] tr').count() >= 3);
    assert.match(await page.textContent('[data-testid="limits"]'), /not a prophecy/);
    assert.equal(await page.locator('[data-testid="safety-notice"]').count(), 0);
    // The chart has drawn something, and has a text alternative without "-0" or exponents.
    const inked = await page.$eval('[data-testid="fan-chart"] canvas', (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `fan chart pixels: ${inked}`);
    const numbers = await page.locator('[data-testid="chart-numbers"]').allTextContents();
    assert.equal(numbers.length, 2, 'each chart has its numbers');
    for (const t of numbers) assert.doesNotMatch(t, /(^|[^\d.])-0(\.0+)?(?![\d.])|e-\d|NaN|undefined/, t);
    assert.doesNotMatch(await page.textContent('#app'), /_(q|love|rate)|your_love|contact_rate/);
    await checkPage(page, `forecast (${name})`);
    // The phone picture shows the first screen (a full page is too long to read in the README).
    await page.screenshot({ path: join(shots, name === 'phone' ? 'forecast-phone.png' : 'forecast.png'), fullPage: name !== 'phone' });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('mutual but rough: no one-sided verdict; "not sure" everywhere gives none at all', async () => {
  for (const [name, screen] of SCREENS) {
    const page = await newPage(browser, screen);
    await forecastFor(page, MUTUAL_ROUGH, [], 100);
    const verdict = await page.textContent('[data-testid="reciprocity"]');
    assert.match(verdict, /about the same/);
    assert.doesNotMatch(verdict, /clearly more|leav/i);
    await checkPage(page, `forecast, mutual (${name})`);
    await page.context().close();
  }
  const page = await newPage(browser, PHONE);
  await forecastFor(page, {}, [], 100);
  assert.match(await page.textContent('[data-testid="reciprocity"]'), /Can't tell/);
  assert.match(await page.textContent('[data-testid="plan-heading"]'), /If things stay as they are/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('afraid: the safety notice leads, with numbers to call, and no strategy is compared', async () => {
  for (const [name, screen] of SCREENS) {
    const page = await newPage(browser, screen);
    await questionnaire(page);
    await page.click('[data-testid="help-now"] summary');
    await page.selectOption('#help-now-country', 'GB');
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
    // The country chosen on the first page is remembered: its numbers are in the notice.
    await page.waitForFunction(() => /0808 2000 247/.test(document.querySelector('[data-testid="safety-notice"]').textContent));
    assert.match(await notice.textContent(), /999/);
    const first = await page.$eval('#app', (a) => a.firstElementChild.getAttribute('data-testid'));
    assert.equal(first, 'safety-notice');
    assert.equal(await page.locator('[data-testid="strategies"]').count(), 0);
    assert.equal(await page.locator('[data-testid="numbers-behind-notice"]').getAttribute('open'), null);
    await checkPage(page, `safety notice (${name})`);
    await page.screenshot({ path: join(shots, name === 'phone' ? 'safety-phone.png' : 'safety.png'), fullPage: false });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('quick exit: the button and the Esc key leave for a neutral page, Back does not return', async () => {
  for (const [name, screen] of SCREENS) {
    for (const [path, how] of [['/', 'button'], ['/explore', 'esc'], ['/saved', 'button'], ['/forecast', 'esc']]) {
      const page = await newPage(browser, screen);
      await page.goto(`${server.url}/saved?before`);
      await page.evaluate(() => sessionStorage.setItem('walkaway.forecast', '{"x":1}'));
      await page.goto(`${server.url}${path}`);
      await page.locator('#quick-exit').waitFor();
      if (how === 'button') await page.click('#quick-exit');
      else await page.keyboard.press('Escape');
      await page.waitForURL(/google\.com/);
      assert.equal(await page.title(), 'Weather');
      // The exited page was replaced in history: Back goes to the page before it, not to it.
      await page.goBack();
      assert.match(page.url(), /\/saved\?before$/, `${name} ${path}: Back after quick exit`);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('walkaway.forecast')), null, 'the tab’s forecast is dropped');
      await page.context().close();
    }
  }
});

test('a long forecast shows how far it is, in words too, and Cancel stops it on the server', async () => {
  const page = await newPage(browser, DESKTOP);
  await questionnaire(page);
  await setTrajectories(page, 20000);
  await page.fill('#horizon', '730');
  const started = page.waitForResponse((r) => r.url().endsWith('/api/forecast/jobs') && r.request().method() === 'POST');
  await page.click('#see-forecast');
  const job = await (await started).json();
  const bar = page.locator('[role="progressbar"]');
  await bar.waitFor();
  assert.equal(await bar.getAttribute('aria-label'), 'Simulating futures');
  assert.equal(await page.getAttribute('#see-forecast', 'disabled'), '', 'one forecast at a time');
  // Some futures are done, not all of them.
  await page.waitForFunction(() => Number(document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')) > 0, null, { timeout: 120000 });
  const now = Number(await bar.getAttribute('aria-valuenow'));
  assert.ok(now > 0 && now < 100, `progress ${now}%`);
  assert.match(await page.textContent('[data-testid="forecast-running"]'), /Simulating futures… \d+%/);
  assert.match(await bar.getAttribute('aria-valuetext'), /^Simulating futures… \d+%$/);
  await checkPage(page, 'forecast running');
  await page.click('#cancel-forecast');
  await page.waitForFunction(() => /Cancelled/.test(document.querySelector('[data-testid="status"]')?.textContent));
  assert.equal(await bar.count(), 0, 'the bar is gone');
  assert.match(page.url(), /\/$/, 'still on the questions');
  assert.equal(await page.getAttribute('#see-forecast', 'disabled'), null);
  // The server forgot the job: it was cancelled there, not only here.
  const status = await page.evaluate(async (url) => (await fetch(url)).status, job.url);
  assert.equal(status, 404);
  await page.context().close();
});

test('a bad value names the label on screen, marks the field and focuses it', async () => {
  for (const [name, screen] of SCREENS) {
    const page = await newPage(browser, screen);
    await questionnaire(page);
    await setTrajectories(page, 300);
    await page.fill('#horizon', '');
    await page.click('#see-forecast');
    const error = page.locator('[data-testid="error"]');
    await error.waitFor();
    const text = await error.textContent();
    assert.match(text, /Days ahead is empty/);
    assert.match(text, /from 30 to 730/);
    assert.doesNotMatch(text, /horizon_days|line \d|column|you sent 0/);
    assert.equal(await page.getAttribute('#horizon', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'horizon');
    await page.fill('#horizon', '180');
    await page.fill('#trajectories', '-3');
    await page.click('#see-forecast');
    await page.waitForFunction(() => /Simulated futures/.test(document.querySelector('[data-testid="error"]')?.textContent));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'trajectories');
    assert.equal(await page.getAttribute('#horizon', 'aria-invalid'), null, 'the fixed field is no longer marked');
    assert.match(page.url(), /\/$/);
    await checkPage(page, `form error (${name})`);
    await page.context().close();
  }
});

test('the explorer: a slider changes the plot; every slider end simulates; a failed run is said in words', async () => {
  const page = await newPage(browser, DESKTOP);
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
  assert.doesNotMatch(await page.textContent('[data-testid="equilibria"]'), /e-\d|-0\.0/);
  await page.click('#bif-draw');
  await page.waitForFunction(() => document.querySelector('[data-testid="bifurcation"]').dataset.drawn === 'yes');
  await checkPage(page, 'explorer (desktop)');
  await page.screenshot({ path: join(shots, 'explore.png'), fullPage: true });

  // A run that cannot be done: the old pictures go, the words stay plain.
  await page.fill('#t-end', '-5');
  await page.press('#t-end', 'Enter');
  await page.locator('[data-testid="run-failed"]').waitFor();
  assert.doesNotMatch(await page.textContent('[data-testid="run-failed"]'), /step size|collapsed|line \d/);
  assert.equal(await page.locator('[data-testid="time-series"] canvas').count(), 0, 'the stale chart is cleared');
  assert.equal(await page.locator('[data-testid="equilibria"] li').count(), 0);

  // Bifurcation summary agrees with what is drawn.
  await page.goto(`${server.url}/explore?model=rinaldi-insecure`);
  await page.waitForFunction(() => document.querySelector('[data-testid="timing"]')?.dataset.seq === '1');
  await page.click('#bif-draw');
  await page.waitForFunction(() => document.querySelector('[data-testid="bifurcation"]').dataset.drawn === 'yes');
  const bif = await page.textContent('[data-testid="bif-status"]');
  assert.doesNotMatch(bif, /0 branch/);
  assert.doesNotMatch(bif, /e-\d/);
  assert.deepEqual(page.problems, []);
  await page.context().close();

  // Every end of every slider simulates (asked of the API directly: quicker than dragging).
  const models = (await (await fetch(`${server.url}/api/models`)).json()).models;
  for (const m of models) {
    for (const p of m.params.filter((x) => x.kind === 'real')) {
      for (const end of sliderRange(m.id, p)) {
        const res = await fetch(`${server.url}/api/models/${m.id}/simulate`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ params: { [p.name]: end } }),
        });
        assert.equal(res.status, 200, `${m.id}: ${p.name} = ${end}: ${await res.text()}`);
      }
    }
  }
});

test('the explorer on a phone: canvases fit, text stays legible', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto(`${server.url}/explore?model=gone-with-the-wind`);
  await page.waitForFunction(() => document.querySelector('[data-testid="timing"]')?.dataset.seq === '1');
  const box = await page.$eval('[data-testid="phase-portrait"]', (c) => ({ css: c.getBoundingClientRect().width, px: c.width }));
  assert.ok(box.css <= 390 && box.px >= box.css, `canvas ${box.css} css px drawn at ${box.px} px`);
  await checkPage(page, 'explorer (phone)');
  await page.screenshot({ path: join(shots, 'explore-phone.png'), fullPage: false });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('save, restart the server, find it again under a neutral title; delete all clears the browser too', async () => {
  let page = await newPage(browser, DESKTOP);
  await forecastFor(page, { satisfaction: 3, plan: 2 }, [], 100);
  await page.waitForSelector('#save-forecast');
  await page.click('#save-forecast');
  await page.waitForFunction(() => /Saved \(number \d+\)/.test(document.querySelector('[data-testid="save-status"]').textContent));
  await page.context().close();

  await server.stop();
  server = await startServer(database);

  for (const [name, screen] of SCREENS) {
    page = await newPage(browser, screen);
    await page.goto(`${server.url}/saved`);
    const row = page.locator('[data-testid="saved-list"] tr[data-id]');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    const title = await row.first().locator('td').first().textContent();
    assert.match(title, /^Saved result, /);
    assert.doesNotMatch(title, /leave|contact|forecast|afraid/i);
    await checkPage(page, `saved (${name})`);
    await page.screenshot({ path: join(shots, name === 'phone' ? 'saved-phone.png' : 'saved.png'), fullPage: false });
    await page.context().close();
  }

  page = await newPage(browser, PHONE);
  await page.goto(`${server.url}/saved`);
  const row = page.locator('[data-testid="saved-list"] tr[data-id]');
  await row.first().locator('a', { hasText: 'Open' }).click();
  await page.waitForURL(/\/forecast\?saved=\d+/);
  await page.waitForSelector('[data-testid="fan-chart"] canvas');
  assert.match(await page.textContent('[data-testid="reopened"]'), /Saved forecast/);

  // The browser keeps the last forecast (this tab) and the country (this site).
  await page.evaluate(() => { sessionStorage.setItem('walkaway.forecast', '{"x":1}'); localStorage.setItem('walkaway.country', 'DE'); });
  await page.goto(`${server.url}/saved`);
  await row.first().waitFor();
  page.once('dialog', (d) => d.accept());
  await page.click('#delete-all');
  await page.locator('[data-testid="empty"]').waitFor();
  assert.match(await page.textContent('[data-testid="status"]'), /Deleted 1 item/);
  assert.deepEqual(await page.evaluate(() => [sessionStorage.length, localStorage.length]), [0, 0]);
  await page.goto(`${server.url}/forecast`);
  await page.waitForSelector('#app p');
  assert.match(await page.textContent('#app'), /No forecast yet/);
  assert.doesNotMatch(await page.textContent('#app'), /afraid/);
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

test('a pasted equation file is explored like a catalog model; a mistake names its line', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/explore?model=strogatz`);
  await page.waitForFunction(() => document.querySelector('[data-testid="timing"]')?.dataset.seq === '1');
  await page.locator('details.own-model summary').click();
  await page.fill('#own-model-text', '[model]\nid = "spiral"\n[states]\nx = 1\ny = 0\n[params]\nk = { default = -0.1, min = -1, max = 1 }\n[equations]\nx = "k*x - y"\ny = "x + k*y"\n');
  await page.click('#own-model-load');
  await page.waitForFunction(() => /Loaded/.test(document.querySelector('[data-testid="own-model-status"]').textContent));
  assert.match(await page.inputValue('#model'), /^spiral-[0-9a-f]{8}$/);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="timing"]').dataset.seq) >= 2);
  assert.match(await page.locator('[data-testid="equilibria"]').textContent(), /stable/);
  await page.fill('#own-model-text', '[model]\nid = "bad"\n[states]\nx = 1\n[equations]\nx = "-x + foo"\n');
  await page.click('#own-model-load');
  const error = page.locator('[data-testid="own-model-status"] [data-testid="error"]');
  await error.waitFor();
  const text = await error.textContent();
  assert.match(text, /unknown name `foo`/);
  assert.match(text, /line 6, column 11/);
  await page.context().close();
});
