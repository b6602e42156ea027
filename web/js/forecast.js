// "Your forecast": shows a forecast from the questionnaire (sessionStorage)
// or a saved one (?saved=ID). Safety first: when the answers point to
// danger, the notice leads and strategies are not compared.
import { api, el, errorBox, percent, interval, app, scrollBox } from './common.js';
import { fanChart } from './charts.js';
import { helpBox } from './helplines.js';

const root = app();

// Two kinds of uncertainty side by side: the Monte Carlo interval, and the
// range across plausible versions of the model (its assumed rates).
function modelRange(o) {
  return o.model_low === null || o.model_low === undefined ? '–' : `${percent(o.model_low)}–${percent(o.model_high)}`;
}

function outcomeTable(outcomes, caption) {
  const t = el('table', { 'data-testid': 'outcomes' }, el('caption', { class: 'muted' }, caption),
    el('tr', {}, el('th', {}, 'where things stand at the end'), el('th', { class: 'num' }, 'chance'),
      el('th', { class: 'num' }, 'simulation error (95%)'), el('th', { class: 'num' }, 'across plausible models'), el('th', {}, '')));
  for (const o of outcomes) {
    t.append(el('tr', {},
      el('td', {}, o.label),
      el('td', { class: 'num' }, percent(o.probability)),
      el('td', { class: 'num' }, interval(o)),
      el('td', { class: 'num' }, modelRange(o)),
      el('td', {}, el('span', { class: 'bar', style: `width:${Math.round(100 * (o.probability || 0))}px` }))));
  }
  return scrollBox(t, 'Outcomes at the end');
}

// Staying is the comparison, not a way of walking away: it comes first,
// labelled as such, then your plan and the other ways.
function strategiesTable(f) {
  const yours = { name: 'yours', label: f.plan.label, outcomes: f.outcomes, together: f.together };
  const rows = [...(f.staying ? [f.staying] : []), yours, ...f.strategies];
  const keys = f.outcomes.map((o) => o.key);
  const labels = Object.fromEntries(f.outcomes.map((o) => [o.key, o.label]));
  const t = el('table', { 'data-testid': 'strategies' },
    el('tr', {}, el('th', {}, 'what you do'), el('th', { class: 'num' }, 'together at the end'), ...keys.map((k) => el('th', { class: 'num' }, labels[k]))));
  for (const s of rows) {
    const name = s.name === 'yours' ? el('strong', {}, `${s.label} (your plan)`)
      : s.name === 'stay' ? el('em', {}, 'stay (the comparison)') : s.label;
    const row = el('tr', {}, el('td', {}, name),
      el('td', { class: 'num', title: `95% interval ${interval(s.together)}` }, percent(s.together.probability)));
    for (const k of keys) {
      const o = s.outcomes.find((x) => x.key === k);
      row.append(el('td', { class: 'num', title: o ? `95% interval ${interval(o)}` : '' }, o ? percent(o.probability) : '–'));
    }
    t.append(row);
  }
  return scrollBox(t, 'Ways side by side');
}

function safetyNotice(s) {
  const box = el('section', { class: 'notice', role: 'alert', 'data-testid': 'safety-notice' },
    el('h2', {}, 'Your safety comes first'));
  for (const p of s.notice) box.append(el('p', {}, p));
  if (s.reasons.length) {
    box.append(el('p', {}, 'What you told us:'), el('ul', {}, s.reasons.map((r) => el('li', {}, r))));
  }
  box.append(helpBox({ open: true, id: 'notice-help' }));
  return box;
}

function render(f, { savedTitle } = {}) {
  root.replaceChildren();
  if (savedTitle) root.append(el('p', { class: 'status', 'data-testid': 'reopened' }, `Saved forecast “${savedTitle}”.`));
  const numbers = el('div', { id: 'numbers' });
  if (f.safety_first) {
    root.append(safetyNotice(f.safety));
    root.append(el('p', {}, 'Because of what you ticked, this page does not compare ways of leaving. The model below knows nothing about threats or violence; read its numbers only as a description of feelings in a model.'));
    const det = el('details', { 'data-testid': 'numbers-behind-notice' }, el('summary', {}, 'Show the model’s numbers anyway'), numbers);
    root.append(det);
  } else {
    root.append(numbers);
  }
  // Forecasts saved before the reading was rewritten carry one message and no title.
  const r = f.reciprocity;
  const messages = Array.isArray(r.message) ? r.message : [r.message];
  numbers.append(el('section', { class: `card verdict-${r.verdict}`, 'data-testid': 'reciprocity' },
    el('h2', {}, r.title || 'Give and take'), ...messages.map((m) => el('p', {}, m))));

  const grid = el('div', { class: 'grid2' });
  const left = el('div');
  const right = el('aside', { class: 'limits', 'data-testid': 'limits' }, el('h2', {}, 'What this model cannot know'),
    el('ul', {}, f.limits.map((l) => el('li', {}, l))));
  grid.append(left, right);
  numbers.append(grid);

  left.append(el('p', { class: 'card', 'data-testid': 'comes-back' }, f.together_text));
  left.append(el('h2', { 'data-testid': 'plan-heading' }, f.plan.chosen === false
    ? 'If things stay as they are'
    : `If you ${f.plan.label}`));
  if (f.plan.chosen === false) {
    left.append(el('p', { class: 'muted' }, 'You did not pick a plan, so this shows things as they are; other ways are side by side further down. None of them is a recommendation.'));
  }
  left.append(outcomeTable(f.outcomes, `${f.trajectories} simulated futures, ${f.horizon_days} days`));
  const ev = el('ul', {});
  for (const e of f.events) {
    const when = e.median_day !== null ? `, typically around day ${Math.round(e.median_day)}` : '';
    const label = e.label.charAt(0).toUpperCase() + e.label.slice(1);
    ev.append(el('li', {}, `${label}: ${percent(e.probability)} (${interval(e)})${when}.`));
  }
  const again = f.after_reunion && f.after_reunion.separated_within_90_days;
  if (again && again.n > 0) {
    ev.append(el('li', {}, `After getting back together, separated again within 90 days: ${percent(again.probability)} (${interval(again)}).`));
  }
  left.append(el('h2', {}, 'What happens along the way'), ev, el('p', { class: 'muted' }, f.warning_sign));

  left.append(el('h2', {}, 'Your partner’s love and wanting'));
  const fan = el('div', { 'data-testid': 'fan-chart', class: 'chart' });
  left.append(fan, el('p', { class: 'muted' }, 'Lines: the middle (median) of the simulated futures; shaded: where 8 in 10 of them lie. Love has no unit; compare, don’t read off.'));
  const contact = el('div', { 'data-testid': 'contact-chart', class: 'chart' });
  left.append(el('h2', {}, 'Contact attempts you can expect'), contact);

  if (f.strategies.length) {
    left.append(el('h2', {}, 'Other ways, side by side'), strategiesTable(f),
      el('p', { class: 'muted' }, 'The same simulated partners under each way (common random numbers), so differences are not noise. None of these is advice, and none is a way to win someone back.'));
  }
  left.append(el('h2', {}, 'What drives the result'), el('ul', { 'data-testid': 'drivers' }, f.drivers.map((d) => el('li', {}, d))));

  const save = el('button', { type: 'button', id: 'save-forecast' }, 'Save this forecast');
  const status = el('span', { class: 'status', 'data-testid': 'save-status', role: 'status' });
  const errors = el('div');
  left.append(el('div', { class: 'row' }, save, status), errors);
  save.addEventListener('click', async () => {
    status.textContent = 'Saving…';
    errors.replaceChildren();
    try {
      // A neutral title: nothing in the list says what the forecast is about.
      const title = `Saved result, ${new Date().toLocaleDateString()}`;
      const saved = await api('POST', '/api/saved', { kind: 'forecast', title, body: { answers: f.answers, forecast: f } });
      status.textContent = `Saved (number ${saved.id}).`;
    } catch (e) {
      status.textContent = '';
      errors.append(errorBox(e));
    }
  });

  const draw = () => {
    fanChart(fan, f.days, [
      { label: 'your partner’s love', ...f.series.love },
      { label: 'your partner’s wanting', ...f.series.wanting, color: '#c0612b', fill: 'rgba(192,97,43,0.15)' },
    ], { yLabel: 'love scale', title: 'Your partner’s love and wanting' });
    fanChart(contact, f.days, [
      { label: 'contact attempts per day', ...f.series.contact_rate, color: '#6b4c9a', fill: 'rgba(107,76,154,0.15)' },
    ], { yLabel: 'attempts per day', title: 'Contact attempts per day' });
    contact.append(el('p', { class: 'muted' }, `Expected attempts in all by day ${f.days[f.days.length - 1]}: about ${Math.round(f.series.expected_contact_attempts[f.series.expected_contact_attempts.length - 1] || 0)}.`));
  };
  if (f.safety_first) {
    // Charts inside a closed <details> have no width yet; draw on opening.
    let drawn = false;
    numbers.parentElement.addEventListener('toggle', () => { if (!drawn) { drawn = true; draw(); } });
  } else {
    draw();
  }
}

async function main() {
  const savedId = new URLSearchParams(location.search).get('saved');
  if (savedId) {
    try {
      const item = await api('GET', `/api/saved/${encodeURIComponent(savedId)}`);
      if (!item.body.forecast) throw new Error('This saved item is a scenario, not a forecast; open it from the Saved page.');
      render(item.body.forecast, { savedTitle: item.title });
    } catch (e) {
      root.append(errorBox(e));
    }
    return;
  }
  const text = sessionStorage.getItem('walkaway.forecast');
  if (!text) {
    root.append(el('p', {}, 'No forecast yet. ', el('a', { href: '/' }, 'Answer the questions'), ' first, or open a saved forecast from ', el('a', { href: '/saved' }, 'Saved'), '.'));
    return;
  }
  render(JSON.parse(text));
}

main();
