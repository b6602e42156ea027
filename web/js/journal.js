// "Your journal": what your partner did, day by day, kept on this computer,
// and the forecast updated from it (docs/journal.md). One form for a day
// (quick on a phone: numbers with − and + buttons, choices as selects), the
// days so far with edit and delete, export, and the analysis beside them.
import { api, el, errorBox, percent, app, scrollBox, markInvalid, clearInvalid } from './common.js';

const root = app();
const LABELS = {
  day: 'Day', contacts: 'Calls and messages', request: 'Asked to get back together',
  met_someone: 'Signs your partner met someone', you_contacted: 'You were in contact', mood: 'Your mood',
  note: 'Note', left_on: 'The day you left',
};
const DAY_MS = 86_400_000;

let journal = { left_on: null, entries: [], days: 730 };
const errors = el('div');
const status = el('p', { class: 'status', 'data-testid': 'journal-status', role: 'status' });
const list = el('div', { 'data-testid': 'journal-list' });
const result = el('section', { class: 'journal-result', 'aria-live': 'polite', 'data-testid': 'journal-result' });

function field(id, label, input, hint) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), input, hint ? el('p', { class: 'muted small' }, hint) : null);
}

function select(id, options) {
  return el('select', { id }, options.map(([v, t]) => el('option', { value: v }, t)));
}

// The day you left.
const leftOn = el('input', { id: 'left-on', type: 'date' });
leftOn.addEventListener('change', async () => {
  errors.replaceChildren();
  clearInvalid(root);
  try {
    await api('PUT', '/api/journal/start', { left_on: leftOn.value || null });
    journal.left_on = leftOn.value || null;
    syncDate();
    render();
  } catch (e) { showError(e); }
});

// The form for one day.
const day = el('input', { id: 'entry-day', type: 'number', min: 0, step: 1, inputmode: 'numeric', value: 0 });
const date = el('input', { id: 'entry-date', type: 'date' });
const contacts = el('input', { id: 'entry-contacts', type: 'number', min: 0, max: 500, step: 1, inputmode: 'numeric', placeholder: 'not recorded' });
const less = el('button', { type: 'button', class: 'secondary step', 'aria-label': 'One fewer call or message' }, '−');
const more = el('button', { type: 'button', class: 'secondary step', 'aria-label': 'One more call or message' }, '+');
less.addEventListener('click', () => { contacts.value = String(Math.max(0, (Number(contacts.value) || 0) - 1)); });
more.addEventListener('click', () => { contacts.value = String((Number(contacts.value) || 0) + 1); });
const request = select('entry-request', [['', 'not recorded'], ['none', 'no'], ['declined', 'yes, and I said no'], ['accepted', 'yes, and I said yes']]);
const met = select('entry-met', [['', 'not recorded'], ['no', 'no'], ['not_sure', 'not sure'], ['yes', 'yes']]);
const you = select('entry-you', [['', 'not recorded'], ['no', 'no'], ['yes', 'yes']]);
const mood = select('entry-mood', [['', 'not recorded'], ...Array.from({ length: 11 }, (_, i) => [String(i), i === 0 ? '0 (very bad)' : i === 10 ? '10 (very good)' : String(i)])]);
const note = el('textarea', { id: 'entry-note', rows: 2, maxlength: 2000, placeholder: 'private; never used by the model' });
const save = el('button', { type: 'submit', id: 'save-entry' }, 'Save this day');

function syncDate() {
  if (!journal.left_on) { date.value = ''; date.disabled = true; return; }
  date.disabled = false;
  const t = Date.parse(`${journal.left_on}T00:00:00Z`) + Number(day.value || 0) * DAY_MS;
  date.value = Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '';
}
day.addEventListener('input', syncDate);
date.addEventListener('change', () => {
  if (!journal.left_on || !date.value) return;
  const d = Math.round((Date.parse(`${date.value}T00:00:00Z`) - Date.parse(`${journal.left_on}T00:00:00Z`)) / DAY_MS);
  day.value = String(d);
});

const inputs = { day, contacts, request, met_someone: met, you_contacted: you, mood, note, left_on: leftOn };

function showError(e) {
  const box = errorBox(e, LABELS);
  errors.replaceChildren(box);
  const input = e.field && inputs[e.field];
  if (input) markInvalid(input, box);
}

const form = el('form', { id: 'journal-form', class: 'journal-form', novalidate: true },
  field('entry-day', 'Day since you left (0 = the day you left)', day),
  field('entry-date', 'Date', date, 'Set the day you left above to fill in days by date.'),
  el('div', { class: 'field' }, el('label', { for: 'entry-contacts' }, LABELS.contacts + ' from your partner'),
    el('div', { class: 'stepper' }, less, contacts, more)),
  field('entry-request', LABELS.request, request),
  field('entry-met', LABELS.met_someone, met),
  field('entry-you', LABELS.you_contacted, you),
  field('entry-mood', LABELS.mood, mood),
  field('entry-note', LABELS.note, note),
  save);

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  errors.replaceChildren();
  clearInvalid(root);
  const body = {
    contacts: contacts.value === '' ? null : Number(contacts.value),
    request: request.value || null,
    met_someone: met.value || null,
    you_contacted: you.value === '' ? null : you.value === 'yes',
    mood: mood.value === '' ? null : Number(mood.value),
    note: note.value,
  };
  const d = day.value.trim();
  if (!/^\d+$/.test(d)) { showError({ field: 'day', value: d, allowed: 'a whole number of days since you left, from 0' }); return; }
  try {
    await api('PUT', `/api/journal/entries/${d}`, body);
    status.textContent = `Saved day ${d}.`;
    await load();
    // The next day is the likeliest to be filled in next.
    day.value = String(Number(d) + 1);
    syncDate();
    for (const i of [contacts, request, met, you, mood, note]) i.value = '';
    analyse();
  } catch (e) { showError(e); }
});

function edit(entry) {
  day.value = String(entry.day);
  contacts.value = entry.contacts ?? '';
  request.value = entry.request ?? '';
  met.value = entry.met_someone ?? '';
  you.value = entry.you_contacted === null || entry.you_contacted === undefined ? '' : (entry.you_contacted ? 'yes' : 'no');
  mood.value = entry.mood ?? '';
  note.value = entry.note ?? '';
  syncDate();
  contacts.focus();
}

const REQUEST_WORDS = { none: 'no', declined: 'yes, you said no', accepted: 'yes, you said yes' };
const MET_WORDS = { no: 'no', not_sure: 'not sure', yes: 'yes' };

function render() {
  leftOn.value = journal.left_on || '';
  if (!journal.entries.length) {
    list.replaceChildren(el('p', { 'data-testid': 'journal-empty' }, 'No days recorded yet.'));
    return;
  }
  const t = el('table', { class: 'journal-days' }, el('tr', {},
    el('th', {}, 'day'), el('th', {}, 'date'), el('th', { class: 'num' }, 'calls and messages'), el('th', {}, 'asked back'),
    el('th', {}, 'met someone'), el('th', {}, 'you in contact'), el('th', { class: 'num' }, 'mood'), el('th', {}, 'note'), el('th', {}, '')));
  for (const e of journal.entries) {
    const editBtn = el('button', { type: 'button', class: 'secondary', 'aria-label': `Edit day ${e.day}` }, 'Edit');
    editBtn.addEventListener('click', () => edit(e));
    const del = el('button', { type: 'button', class: 'secondary', 'aria-label': `Delete day ${e.day}` }, 'Delete');
    del.addEventListener('click', async () => {
      try {
        await api('DELETE', `/api/journal/entries/${e.day}`);
        status.textContent = `Deleted day ${e.day}.`;
        await load();
        analyse();
      } catch (err) { showError(err); }
    });
    t.append(el('tr', { 'data-day': e.day },
      el('td', {}, String(e.day)), el('td', {}, e.date || '–'), el('td', { class: 'num' }, e.contacts ?? '–'),
      el('td', {}, e.request ? REQUEST_WORDS[e.request] : '–'), el('td', {}, e.met_someone ? MET_WORDS[e.met_someone] : '–'),
      el('td', {}, e.you_contacted === null || e.you_contacted === undefined ? '–' : (e.you_contacted ? 'yes' : 'no')),
      el('td', { class: 'num' }, e.mood ?? '–'), el('td', {}, e.note || ''), el('td', {}, editBtn, ' ', del)));
  }
  list.replaceChildren(scrollBox(t, 'Days recorded'));
}

async function load() {
  try {
    journal = await api('GET', '/api/journal');
  } catch (e) { showError(e); return; }
  render();
  syncDate();
}

// The questionnaire's answers, if a forecast was made in this tab: the
// journal then updates that forecast; otherwise every question is "not sure".
function answers() {
  try {
    const f = JSON.parse(sessionStorage.getItem('walkaway.forecast') || 'null');
    return f && f.answers ? f.answers : undefined;
  } catch { return undefined; }
}

function range(i) {
  return `${i.median.toFixed(2)} (${i.q25.toFixed(2)}–${i.q75.toFixed(2)}; 90%: ${i.q05.toFixed(2)}–${i.q95.toFixed(2)})`;
}

let running = 0;
async function analyse() {
  const mine = ++running;
  if (!journal.entries.length) {
    result.replaceChildren(el('h2', {}, 'Your forecast, updated'), el('p', {}, 'Record a few days to see what they say.'));
    return;
  }
  result.replaceChildren(el('h2', {}, 'Your forecast, updated'), el('p', { class: 'muted', 'data-testid': 'journal-working' }, 'Updating…'));
  let a;
  try {
    a = await api('POST', '/api/journal/analysis', { answers: answers(), particles: 500, trajectories: 400 });
  } catch (e) {
    if (mine === running) result.replaceChildren(el('h2', {}, 'Your forecast, updated'), errorBox(e, LABELS));
    return;
  }
  if (mine !== running) return; // a newer update is on its way
  const parts = [el('h2', {}, 'Your forecast, updated')];
  if (a.warning) {
    const box = el('section', { class: 'notice', role: 'alert', 'data-testid': 'journal-warning' },
      el('h3', {}, 'A warning sign'), el('p', {}, a.warning.message));
    for (const p of a.warning.safety_notice) box.append(el('p', {}, p));
    parts.push(box);
  }
  if (a.assumed_separation) {
    parts.push(el('p', { class: 'muted' }, 'Your plan on the questions page was to stay (or not sure yet); the journal is read as the separation it records, from the day you left, with no contact.'));
  }
  if (!a.fit.fits) {
    parts.push(el('p', { class: 'error', 'data-testid': 'journal-misfit' }, a.fit.message));
  }
  parts.push(el('p', { 'data-testid': 'journal-summary' },
    a.request_next_30_days === null
      ? 'You are back together: the journal of this separation ends there. '
      : `Chance your partner asks to get back together in the next 30 days: ${percent(a.request_next_30_days)}. `,
    `Chance your partner is with someone new now: ${percent(a.met_someone)} (before the journal: ${percent(a.met_someone_prior)}).`));
  const traits = el('table', { 'data-testid': 'journal-traits' }, el('caption', { class: 'muted' }, 'What the behaviour says about your partner: median (50% range; 90% range)'),
    el('tr', {}, el('th', {}, ''), el('th', {}, 'before the journal'), el('th', {}, 'after it')));
  for (const t of a.traits) traits.append(el('tr', {}, el('td', {}, t.label), el('td', {}, range(t.prior)), el('td', {}, range(t.posterior))));
  parts.push(scrollBox(traits, 'Traits before and after'));
  if (a.forecast && a.prior_forecast) {
    const t = el('table', { 'data-testid': 'journal-outcomes' }, el('caption', { class: 'muted' }, `Where things stand at day ${a.horizon_days}, before and after the journal (${a.forecast.trajectories} simulated futures each)`),
      el('tr', {}, el('th', {}, ''), el('th', { class: 'num' }, 'before'), el('th', { class: 'num' }, 'after'), el('th', { class: 'num' }, 'after: 95% interval')));
    a.forecast.outcomes.forEach((o, i) => {
      const p = a.prior_forecast.outcomes[i];
      t.append(el('tr', { 'data-key': o.key }, el('td', {}, o.label), el('td', { class: 'num' }, percent(p.probability)),
        el('td', { class: 'num', 'data-testid': `after-${o.key}` }, percent(o.probability)), el('td', { class: 'num' }, `${percent(o.ci_low)}–${percent(o.ci_high)}`)));
    });
    parts.push(scrollBox(t, 'Forecast before and after'));
  }
  const f = a.filter;
  parts.push(el('p', { class: 'muted small', 'data-testid': 'journal-filter' },
    `From ${a.entries} day(s) over ${a.days} days since you left. Particle filter: ${f.particles} particles, effective sample size ${Math.round(f.ess_final)} at the end (lowest ${Math.round(f.ess_min)}). `,
    'The forecast runs each future from the day you left with what the journal says about your partner; it does not yet know what already happened on the recorded days. A model, not a prophecy.'));
  result.replaceChildren(...parts);
}

const exportLinks = el('p', {},
  el('a', { class: 'button secondary', href: '/api/journal/export?format=csv', download: '' }, 'Export CSV'), ' ',
  el('a', { class: 'button secondary', href: '/api/journal/export?format=json', download: '' }, 'Export JSON'));

root.append(
  el('p', {}, 'Write down what happens after you leave: calls and messages from your partner, a request to get back together, signs that your partner has met someone. Missing days are fine. Everything stays in the database file on this computer; “Delete all my data” on the Saved page removes it.'),
  el('div', { class: 'journal-layout' },
    el('section', { class: 'journal-entry' },
      field('left-on', LABELS.left_on, leftOn),
      el('h2', {}, 'One day'), form, status, errors,
      el('h2', {}, 'Days so far'), list, exportLinks),
    result));
syncDate();
await load();
analyse();
