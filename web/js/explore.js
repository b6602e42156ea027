// Explore the models: a catalog model, sliders for its parameters; the time
// series and the phase portrait update as a slider moves, equilibria are
// read out, and a bifurcation diagram can be drawn for one parameter.
import { api, el, errorBox, app, plainMessage } from './common.js';
import { lineChart, updateLineChart, drawPortrait, drawBifurcation, human, value } from './charts.js';
import { sliderRange } from './sliders.js';
import { ownModelPanel } from './own_model.js';

const root = app();
const state = { models: [], model: null, params: {}, tEnd: null, chart: null, inFlight: false, pending: false, seq: 0 };

function controlFor(p) {
  const id = `param-${p.name}`;
  if (p.kind === 'flag') {
    const input = el('input', { type: 'checkbox', id, checked: p.default === 1 });
    input.addEventListener('change', () => { state.params[p.name] = input.checked; refresh(); });
    return el('label', { for: id, title: p.description }, input, ` ${human(p.name)}`);
  }
  if (p.kind === 'choice') {
    const sel = el('select', { id }, p.options.map((o, i) => el('option', { value: o, selected: i === p.default }, o)));
    sel.addEventListener('change', () => { state.params[p.name] = sel.value; refresh(); });
    return el('label', { for: id, title: p.description }, `${human(p.name)} `, sel);
  }
  const [lo, hi] = sliderRange(state.model.id, p);
  const input = el('input', { type: 'range', id, min: lo, max: hi, step: (hi - lo) / 200, value: p.default, 'data-param': p.name });
  const out = el('output', { for: id }, String(p.default));
  input.addEventListener('input', () => {
    state.params[p.name] = Number(input.value);
    out.textContent = Number(input.value).toPrecision(3);
    refresh();
  });
  return el('label', { for: id, title: `${p.description} (${p.allowed})` }, `${p.symbol && p.symbol !== p.name ? p.symbol + ' · ' : ''}${human(p.name)} = `, out, p.unit && p.unit !== '1' ? ` ${p.unit}` : '', input);
}

const view = {};

function buildPage() {
  const select = el('select', { id: 'model' }, state.models.map((m) => el('option', { value: m.id }, m.title)));
  select.addEventListener('change', () => chooseModel(select.value));
  view.about = el('div', { class: 'muted' });
  view.controls = el('div', { class: 'controls', 'data-testid': 'controls' });
  view.tEnd = el('input', { type: 'number', id: 't-end', min: '0', step: 'any' });
  view.tEnd.addEventListener('change', () => refresh());
  view.xSel = el('select', { id: 'x-state' });
  view.ySel = el('select', { id: 'y-state' });
  view.xSel.addEventListener('change', () => refresh());
  view.ySel.addEventListener('change', () => refresh());
  view.errors = el('div');
  view.timing = el('span', { class: 'muted', 'data-testid': 'timing', role: 'status' });
  view.series = el('div', { 'data-testid': 'time-series' });
  view.portrait = el('canvas', { class: 'portrait', width: 520, height: 420, 'data-testid': 'phase-portrait', role: 'img', 'aria-label': 'Phase portrait; the equilibria are listed below as text.' });
  view.equilibria = el('div', { 'data-testid': 'equilibria' });
  view.note = el('p', { class: 'muted' });
  view.bifParam = el('select', { id: 'bif-param' });
  view.bifButton = el('button', { type: 'button', id: 'bif-draw' }, 'Draw bifurcation diagram');
  view.bifCanvas = el('canvas', { class: 'bifurcation', width: 620, height: 360, 'data-testid': 'bifurcation', role: 'img', 'aria-label': 'Bifurcation diagram; a summary is next to the button.' });
  view.bifStatus = el('span', { class: 'muted', role: 'status', 'data-testid': 'bif-status' });
  view.bifButton.addEventListener('click', drawBif);
  const saveButton = el('button', { type: 'button', class: 'secondary', id: 'save-scenario' }, 'Save these settings');
  const saveStatus = el('span', { class: 'status', 'data-testid': 'save-status', role: 'status' });
  saveButton.addEventListener('click', async () => {
    saveStatus.textContent = 'Saving…';
    try {
      const saved = await api('POST', '/api/saved', { kind: 'scenario', title: `Explorer: ${state.model.title}, ${new Date().toLocaleDateString()}`, body: { model: state.model.id, params: state.params, t_end: tEnd() } });
      saveStatus.textContent = `Saved (number ${saved.id}).`;
    } catch (e) { saveStatus.textContent = ''; view.errors.replaceChildren(errorBox(e)); }
  });
  root.append(
    el('div', { class: 'row' }, el('label', { for: 'model' }, 'Model '), select, el('label', { for: 't-end' }, 'until t = '), view.tEnd,
      el('label', { for: 'x-state' }, 'x '), view.xSel, el('label', { for: 'y-state' }, 'y '), view.ySel, saveButton, saveStatus),
    ownModelPanel((info) => {
      state.models = state.models.filter((m) => m.id !== info.id).concat([info]);
      if (![...select.options].some((o) => o.value === info.id)) select.append(el('option', { value: info.id }, info.title));
      select.value = info.id;
      chooseModel(info.id);
    }),
    view.about, view.controls, view.errors,
    el('div', { class: 'row' }, view.timing),
    el('div', { class: 'grid2' },
      el('div', {}, el('h2', {}, 'Time series'), view.series),
      el('div', {}, el('h2', {}, 'Phase portrait'), view.portrait,
        el('p', { class: 'legend' }, el('span', {}, el('span', { class: 'swatch', style: 'background:#1f5fa8' }), 'x null-cline'), el('span', {}, el('span', { class: 'swatch', style: 'background:#c0612b' }), 'y null-cline'),
          el('span', {}, el('span', { class: 'swatch', style: 'background:#1d2428' }), 'trajectory'), el('span', {}, '● stable ○ unstable equilibrium')),
        view.note)),
    el('h2', {}, 'Equilibria'), view.equilibria,
    el('h2', {}, 'Bifurcation diagram'),
    el('div', { class: 'row' }, el('label', { for: 'bif-param' }, 'vary '), view.bifParam, view.bifButton, view.bifStatus),
    view.bifCanvas,
    el('p', { class: 'muted' }, 'Lines: equilibria followed as the parameter changes (solid stable, dashed unstable; dots mark folds and Hopf points). Dots: long-run maxima of the first variable (or visited values, for maps).'));
}

function tEnd() {
  const v = view.tEnd.value;
  return v === '' ? undefined : Number(v);
}

function chooseModel(id, preset) {
  const m = state.models.find((x) => x.id === id) || state.models[0];
  state.model = m;
  state.params = {};
  state.chart = null;
  view.series.replaceChildren();
  view.about.replaceChildren(el('p', {}, m.description), el('p', {}, `Source: ${m.citation}`));
  view.tEnd.value = preset?.t_end ?? m.default_t_end;
  view.controls.replaceChildren(...m.params.map(controlFor));
  for (const [name, value] of Object.entries(preset?.params || {})) {
    state.params[name] = value;
    const input = document.getElementById(`param-${name}`);
    if (!input) continue;
    if (input.type === 'checkbox') input.checked = value === true || value === 1;
    else input.value = value;
  }
  const opts = (sel, def) => sel.replaceChildren(...m.states.map((s, i) => el('option', { value: s.name, selected: i === def }, human(s.name))));
  opts(view.xSel, 0);
  opts(view.ySel, Math.min(1, m.states.length - 1));
  view.bifParam.replaceChildren(...m.params.filter((p) => p.kind === 'real').map((p) => el('option', { value: p.name }, human(p.name))));
  clearCanvas(view.bifCanvas);
  view.bifStatus.textContent = '';
  refresh();
}

// One request in flight at a time; a slider that keeps moving sends the
// latest value as soon as the previous answer is in.
async function refresh() {
  if (state.inFlight) { state.pending = true; return; }
  state.inFlight = true;
  const m = state.model;
  const body = { params: state.params, x: view.xSel.value, y: view.ySel.value };
  const t = tEnd();
  if (t !== undefined) body.t_end = t;
  const started = performance.now();
  try {
    const p = await api('POST', `/api/models/${m.id}/explore`, body);
    if (state.model !== m) return;
    view.errors.replaceChildren();
    state.seq += 1;
    view.timing.textContent = `Answered in ${Math.round(performance.now() - started)} ms (server ${p.server_ms} ms).`;
    view.timing.dataset.seq = String(state.seq);
    const shown = m.states.slice(0, 6).map((s) => s.name);
    const columns = Object.fromEntries(shown.map((n) => [n, p.trajectory.columns[n]]));
    if (!state.chart) state.chart = lineChart(view.series, p.trajectory.times, columns, { xLabel: m.time_unit });
    else updateLineChart(state.chart, p.trajectory.times, columns);
    view.series.dataset.last = JSON.stringify(p.trajectory.final_state.slice(0, 2));
    drawPortrait(view.portrait, p);
    view.note.textContent = p.note || '';
    view.equilibria.replaceChildren(p.equilibria.length
      ? el('ul', {}, p.equilibria.map((e) => el('li', {},
        `${e.kind} at (${e.state.map((v) => value(v, Math.max(1, ...e.state.filter(Number.isFinite).map(Math.abs)))).join(', ')}); eigenvalues ${e.eigenvalues.map((z) => complex(z)).join(', ')}`)))
      : el('p', {}, 'No equilibrium found in the region shown.'));
  } catch (e) {
    if (state.model !== m) return;
    failedRun(e);
  } finally {
    state.inFlight = false;
    if (state.pending) { state.pending = false; refresh(); }
  }
}

async function drawBif() {
  view.bifStatus.textContent = 'Computing…';
  delete view.bifCanvas.dataset.drawn;
  try {
    const b = await api('POST', `/api/models/${state.model.id}/bifurcation`, { params: state.params, param: view.bifParam.value, variable: view.xSel.value });
    drawBifurcation(view.bifCanvas, b);
    const scale = Math.abs(b.to - b.from) || 1;
    const specials = b.branches.flatMap((br) => br.special.map((s) => `${s.kind} at ${human(b.param)} = ${value(s.param, scale)}`));
    const dots = b.orbits.some((o) => o.values.length || o.final !== null);
    const branches = b.branches.length === 0
      ? 'No branch of equilibria was followed in this range'
      : `${b.branches.length} ${b.branches.length === 1 ? 'branch' : 'branches'} of equilibria`;
    const parts = [branches, dots ? 'dots show where the runs settle or swing' : 'no long-run values to show'];
    view.bifStatus.textContent = `${parts.join('; ')}. ${specials.length ? specials.join('; ') + '.' : 'No fold or Hopf point in this range.'}`;
    view.bifCanvas.dataset.drawn = 'yes';
  } catch (e) {
    clearCanvas(view.bifCanvas);
    view.bifStatus.textContent = `No diagram: ${plainMessage(e)}`;
  }
}

function complex(z) {
  const scale = Math.max(Math.abs(z.re ?? 0), Math.abs(z.im ?? 0), 1);
  const re = value(z.re, scale);
  if (!z.im || value(z.im, scale) === '0') return re;
  return `${re} ${z.im >= 0 ? '+' : '−'} ${value(Math.abs(z.im), scale)}i`;
}

function clearCanvas(canvas) {
  canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
}

/** A run that failed: say so in words and take the old pictures down. */
function failedRun(e) {
  state.chart = null;
  view.series.replaceChildren();
  delete view.series.dataset.last;
  clearCanvas(view.portrait);
  view.equilibria.replaceChildren();
  view.note.textContent = '';
  view.timing.textContent = '';
  const box = errorBox(e);
  box.dataset.testid = 'run-failed';
  view.errors.replaceChildren(box);
}

async function main() {
  try {
    state.models = (await api('GET', '/api/models')).models;
  } catch (e) { root.append(errorBox(e)); return; }
  buildPage();
  const q = new URLSearchParams(location.search);
  let preset = null;
  if (q.get('saved')) {
    try {
      const item = await api('GET', `/api/saved/${encodeURIComponent(q.get('saved'))}`);
      preset = item.body;
      root.prepend(el('p', { class: 'status', 'data-testid': 'reopened' }, `Reopened “${item.title}”.`));
    } catch (e) { root.append(errorBox(e)); }
  }
  const id = preset?.model || q.get('model') || 'strogatz';
  document.getElementById('model').value = id;
  chooseModel(id, preset);
}

main();
