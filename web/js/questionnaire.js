// "Should I walk away?": the questions come from /api/questionnaire; the
// answers go to /api/forecast, and the forecast page shows the result.
import { api, el, errorBox, app } from './common.js';

const root = app();

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
  const opts = el('div', { class: 'options', role: 'radiogroup' });
  const chosen = answers.choices[q.id];
  const notSure = el('label', {}, el('input', { type: 'radio', name: q.id, value: '', checked: chosen === undefined }), 'not sure');
  for (const o of q.options) {
    opts.append(el('label', {},
      el('input', { type: 'radio', name: q.id, value: String(o.value), checked: chosen === o.value }), o.label));
  }
  if (q.id !== 'plan') opts.append(notSure);
  else if (chosen === undefined) opts.lastChild.querySelector('input').checked = true;
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

async function main() {
  const intro = el('p', {},
    'Answer what you can; “not sure” is fine. Your answers set the ranges the simulation draws from, and ',
    'the forecast shows what tends to follow in a model of two people — not what will happen to you. ',
    'Nothing leaves this computer.');
  root.append(intro);
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
      el('label', { for: 'trajectories' }, 'Simulated futures '),
      el('input', { id: 'trajectories', name: 'trajectories', type: 'number', value: '1000', min: '100', max: '20000', step: '100' }),
      el('label', { for: 'horizon' }, 'Days ahead '),
      el('input', { id: 'horizon', name: 'horizon', type: 'number', value: '180', min: '30', max: '730' })));
  form.append(advanced);
  const status = el('span', { class: 'status', 'data-testid': 'status' });
  const errors = el('div');
  const saveButton = el('button', { type: 'button', class: 'secondary', id: 'save-answers' }, 'Save these answers');
  form.append(el('div', { class: 'row' },
    el('button', { type: 'submit', id: 'see-forecast' }, 'See my forecast'), saveButton, status), errors);
  root.append(form);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    const body = {
      answers: readAnswers(form, questions),
      trajectories: Number(form.trajectories.value),
      horizon_days: Number(form.horizon.value),
    };
    status.textContent = `Running ${body.trajectories} simulated futures…`;
    try {
      const forecast = await api('POST', '/api/forecast', body);
      sessionStorage.setItem('walkaway.forecast', JSON.stringify(forecast));
      location.href = '/forecast';
    } catch (e) {
      status.textContent = '';
      errors.append(errorBox(e));
    }
  });
  saveButton.addEventListener('click', async () => {
    errors.replaceChildren();
    status.textContent = 'Saving…';
    try {
      const title = `Answers of ${new Date().toLocaleString()}`;
      const saved = await api('POST', '/api/saved', { kind: 'scenario', title, body: { answers: readAnswers(form, questions) } });
      status.textContent = `Saved (number ${saved.id}).`;
    } catch (e) {
      status.textContent = '';
      errors.append(errorBox(e));
    }
  });
}

main();
