// Browser test of the Journal page (docs/journal.md): a person fills in a
// few days on a phone, sees the forecast update beside them, edits and
// deletes a day, is refused a bad count with the field named, sees the
// warning sign with the safety notice after a burst of contact, and
// "Delete all my data" takes the journal too. Same harness as web.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, tempDatabase, screenshotDir, axeProblems, overflow, DESKTOP, PHONE } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer(tempDatabase());
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Fills in one day with the form and waits until it is listed. */
async function record(page, day, { contacts, request, met } = {}) {
  await page.fill('#entry-day', String(day));
  if (contacts !== undefined) await page.fill('#entry-contacts', String(contacts));
  if (request) await page.selectOption('#entry-request', request);
  if (met) await page.selectOption('#entry-met', met);
  await page.click('#save-entry');
  await page.locator(`[data-testid="journal-list"] tr[data-day="${day}"]`).waitFor();
}

/** The "after" column of the outcome table, once an update has finished. */
async function outcomesAfter(page) {
  await page.locator('[data-testid="journal-outcomes"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="journal-working"]'));
  return page.$$eval('[data-testid="journal-outcomes"] td[data-testid^="after-"]', (tds) => tds.map((td) => td.textContent));
}

test('a journal filled in on a phone updates the forecast beside it', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto(`${server.url}/journal`);
  await page.locator('[data-testid="journal-empty"]').waitFor();
  assert.match(await page.textContent('[data-testid="journal-result"]'), /Record a few days/);

  await page.fill('#left-on', '2026-11-01');
  await page.dispatchEvent('#left-on', 'change');
  // The + button counts calls and messages without typing.
  await page.fill('#entry-day', '0');
  await page.click('button[aria-label="One more call or message"]');
  await page.click('button[aria-label="One more call or message"]');
  assert.equal(await page.inputValue('#entry-contacts'), '2');
  await page.click('#save-entry');
  await page.locator('[data-testid="journal-list"] tr[data-day="0"]').waitFor();
  assert.match(await page.textContent('[data-testid="journal-list"] tr[data-day="0"]'), /2026-11-01/);
  const first = await outcomesAfter(page);
  assert.equal(first.length, 6, 'the six outcomes, before and after');
  const summary1 = await page.textContent('[data-testid="journal-summary"]');
  assert.match(summary1, /next 30 days/);

  await record(page, 1, { contacts: 1 });
  await record(page, 3, { contacts: 0, request: 'declined' });
  await record(page, 6, { contacts: 0, met: 'yes' });
  await record(page, 9, { contacts: 0, met: 'yes' });
  await outcomesAfter(page);
  const summary2 = await page.textContent('[data-testid="journal-summary"]');
  assert.notEqual(summary2, summary1, 'the chances moved with the new days');
  assert.match(await page.textContent('[data-testid="journal-filter"]'), /effective sample size/);
  const traits = await page.textContent('[data-testid="journal-traits"]');
  assert.match(traits, /commitment/);

  // A bad count is refused with the field named; nothing is lost.
  await page.fill('#entry-day', '10');
  await page.fill('#entry-contacts', '9999');
  await page.click('#save-entry');
  await page.locator('[data-testid="error"]').waitFor();
  assert.match(await page.textContent('[data-testid="error"]'), /Calls and messages/);
  assert.equal(await page.getAttribute('#entry-contacts', 'aria-invalid'), 'true');
  assert.equal(await page.locator('[data-testid="journal-list"] tr[data-day]').count(), 5);

  // Edit a day, delete a day.
  await page.click('button[aria-label="Edit day 1"]');
  assert.equal(await page.inputValue('#entry-day'), '1');
  await page.fill('#entry-contacts', '3');
  await page.click('#save-entry');
  await page.waitForFunction(() => document.querySelector('[data-testid="journal-list"] tr[data-day="1"] td:nth-child(3)')?.textContent === '3');
  await page.click('button[aria-label="Delete day 9"]');
  await page.locator('[data-testid="journal-list"] tr[data-day="9"]').waitFor({ state: 'detached' });

  assert.equal(await overflow(page), null, 'no sideways scrolling on a phone');
  assert.deepEqual(await axeProblems(page), [], 'accessibility');
  assert.deepEqual(page.problems, []);
  // Every page's link is in sight on a phone, none scrolled out of view.
  const outside = await page.$$eval('header.site nav a', (links) => links
    .filter((a) => {
      const r = a.getBoundingClientRect();
      const box = a.parentElement.getBoundingClientRect();
      return r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.right > window.innerWidth;
    })
    .map((a) => a.textContent));
  assert.deepEqual(outside, [], 'every page link visible on a phone');
  await page.locator('[data-testid="journal-working"]').waitFor({ state: 'detached' });
  await page.screenshot({ path: join(screenshotDir(), 'journal-phone.png'), fullPage: true });
  await page.context().close();
});

test('a burst of contact is a warning sign with the safety notice, and delete-all takes the journal', async () => {
  const page = await newPage(browser, DESKTOP);
  await page.goto(`${server.url}/journal`);
  await page.locator('[data-testid="journal-list"] tr[data-day]').first().waitFor();
  await record(page, 2, { contacts: 25 });
  await page.locator('[data-testid="journal-warning"]').waitFor();
  const warning = await page.textContent('[data-testid="journal-warning"]');
  assert.match(warning, /warning sign, not proof of love/);
  assert.match(warning, /emergency number/);
  assert.doesNotMatch(warning.toLowerCase(), /\b(he|she|him|her|his)\b/);
  assert.equal(await overflow(page), null);
  assert.deepEqual(await axeProblems(page), []);

  await page.goto(`${server.url}/saved`);
  page.once('dialog', (d) => d.accept());
  await page.click('#delete-all');
  await page.waitForFunction(() => /Deleted \d+ item/.test(document.querySelector('[data-testid="status"]')?.textContent || ''));
  assert.match(await page.textContent('[data-testid="status"]'), /Deleted [1-9]\d* item\(s\) and journal day/);
  await page.waitForLoadState('networkidle');
  await page.goto(`${server.url}/journal`);
  await page.locator('[data-testid="journal-empty"]').waitFor();
  assert.equal(await page.inputValue('#left-on'), '');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
