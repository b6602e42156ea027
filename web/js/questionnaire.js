// "Should I walk away?": the questions come from /api/questionnaire (the
// safety questions first); the answers go to /api/forecast/jobs (progress
// and Cancel while the futures are simulated), and the forecast
// page shows the result. Every question starts on "not sure".
import { api, el, errorBox, app, markInvalid, clearInvalid } from './common.js';
import { helpBox } from './helplines.js';
import { runForecastJob, Cancelled } from './forecast_job.js';

const root = app();

/** What the API calls each setting, and the label a person sees. */
const FIELDS = {
  trajectories: { label: 'Simulated futures', id: 'trajectories', min: 100, max: 20000 },
  horizon_days: { label: 'Days ahead', id: 'horizon', min: 30, max: 730 },
};
const LABELS = Object.fromEntries(Object.entries(FIELDS).map(([k, f]) => [k, f.label]));

function questionBlock(q, answers) {
  if (q.kind === 'safety') {
    const fs = el('fieldset', { class: 'safety-q', 'data-question': q.id },
      el('legend', {}, q.text), el('p', { class: 'help' }, q.help));
    const box = el('div', { class: 'checks' });
    for (const o of q.options) {
      const id = `safety-${o.id}`;
      box.append(el('label', { for: id },
        el('input', { type: 'checkbox', id, name: 'safety', value: o.id, checked: answers.safety.includes(o.id) }),
        o.label));
    }
    fs.append(box);
    return fs;
  }
  const fs = el('fieldset', { 'data-question': q.id },
    el('legend', {}, q.text), el('p', { class: 'help' }, q.help));
  const opts = el('div', { class: 'options' });
  const chosen = answers.choices[q.id];
  opts.append(el('label', {}, el('input', { type: 'radio', name: q.id, value: '', checked: chosen === undefined }), 'not sure'));
  for (const o of q.options) {
    opts.append(el('label', {},
      el('input', { type: 'radio', name: q.id, value: String(o.value), checked: chosen === o.value }), o.label));
  }
  fs.append(opts);
  return fs;
}

function readAnswers(form, questions) {
  const choices = {};
  for (const q of questions) {
    if (q.kind !== 'choice') continue;
    const picked = form.querySelector(`input[name="${q.id}"]:checked`);
    if (picked && picked.value !== '') choices[q.id] = Number(picked.value);
  }
  const safety = [...form.querySelectorAll('input[name="safety"]:checked')].map((c) => c.value);
  return { choices, safety };
}

/** Reads one whole-number setting; returns {value} or {problem} in plain words. */
function readWhole(input, f) {
  const text = input.value.trim();
  const allowed = `a whole number from ${f.min} to ${f.max}`;
  if (text === '') return { problem: `${f.label} is empty. Enter ${allowed}.` };
  const n = Number(text);
  if (!Number.isInteger(n) || n < f.min || n > f.max) return { problem: `${f.label} (${text.slice(0, 20)}) is not allowed. Enter ${allowed}.` };
  return { value: n };
}

async function main() {
  root.append(helpBox());
  root.append(el('p', {},
    'Answer what you can; “not sure” is fine. Your answers set the ranges the simulation draws from, and ',
    'the forecast shows what tends to follow in a model of two people — not what will happen to you, and not what you should do. ',
    'Nothing leaves this computer.'));
  let questions;
  try {
    questions = (await api('GET', '/api/questionnaire')).questions;
  } catch (e) {
    root.append(errorBox(e));
    return;
  }
  let answers = { choices: {}, safety: [] };
  const savedId = new URLSearchParams(location.search).get('saved');
  if (savedId) {
    try {
      const item = await api('GET', `/api/saved/${encodeURIComponent(savedId)}`);
      answers = item.body.answers || answers;
      root.append(el('p', { class: 'status', 'data-testid': 'reopened' }, `Reopened “${item.title}”.`));
    } catch (e) {
      root.append(errorBox(e));
    }
  }
  const form = el('form', { novalidate: true, id: 'questionnaire' });
  for (const q of questions) form.append(questionBlock(q, answers));
  const advanced = el('details', {},
    el('summary', {}, 'Simulation settings'),
    el('div', { class: 'row' },
      el('label', { for: 'trajectories' }, `${FIELDS.trajectories.label} `),
      el('input', { id: 'trajectories', name: 'trajectories', type: 'number', inputmode: 'numeric', value: '1000', min: '100', max: '20000', step: '100' }),
      el('label', { for: 'horizon' }, `${FIELDS.horizon_days.label} `),
      el('input', { id: 'horizon', name: 'horizon', type: 'number', inputmode: 'numeric', value: '180', min: '30', max: '730' })));
  form.append(advanced);
  const status = el('span', { class: 'status', 'data-testid': 'status', role: 'status' });
  const errors = el('div');
  const running = el('div', { 'aria-live': 'polite' });
  const saveButton = el('button', { type: 'button', class: 'secondary', id: 'save-answers' }, 'Save these answers');
  form.append(el('div', { class: 'row' },
    el('button', { type: 'submit', id: 'see-forecast' }, 'See my forecast'), saveButton, status), running, errors);
  root.append(form);

  const fail = (box, fieldName) => {
    errors.replaceChildren(box);
    const f = FIELDS[fieldName];
    if (f) markInvalid(document.getElementById(f.id), box);
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    clearInvalid(form);
    const body = { answers: readAnswers(form, questions) };
    for (const [name, f] of Object.entries(FIELDS)) {
      const r = readWhole(document.getElementById(f.id), f);
      if (r.problem) {
        fail(el('div', { class: 'error', role: 'alert', 'data-testid': 'error' }, el('strong', {}, 'Please check: '), r.problem), name);
        return;
      }
      body[name] = r.value;
    }
    status.textContent = '';
    const submit = document.getElementById('see-forecast');
    submit.disabled = true;
    try {
      const forecast = await runForecastJob(body, running);
      sessionStorage.setItem('walkaway.forecast', JSON.stringify(forecast));
      location.href = '/forecast';
    } catch (e) {
      if (e instanceof Cancelled) {
        status.textContent = 'Cancelled. Nothing was kept; change anything you like and try again.';
      } else {
        fail(errorBox(e, LABELS), e.field);
      }
    } finally {
      submit.disabled = false;
    }
  });
  saveButton.addEventListener('click', async () => {
    errors.replaceChildren();
    status.textContent = 'Saving…';
    try {
      // A neutral title: nothing in the list says what the answers are about.
      const title = `Saved answers, ${new Date().toLocaleDateString()}`;
      const saved = await api('POST', '/api/saved', { kind: 'scenario', title, body: { answers: readAnswers(form, questions) } });
      status.textContent = `Saved (number ${saved.id}).`;
    } catch (e) {
      status.textContent = '';
      errors.append(errorBox(e, LABELS));
    }
  });
}

main();
