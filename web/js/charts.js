// Charts: uPlot for time series and fan charts; a small canvas renderer for
// phase portraits and bifurcation diagrams.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { el } from './common.js';

const BAND = 'rgba(47, 111, 115, 0.18)';
const COLORS = ['#2f6f73', '#c0612b', '#6b4c9a', '#3a7d2c', '#a23b72', '#7a6c1d', '#1f5fa8', '#8a1c1c'];

function width(container) {
  return Math.max(260, Math.min(container.clientWidth || 720, 900));
}

/**
 * A tick or read-out label: as many decimals as the step between ticks
 * needs, never "-0", and values within a millionth of the scale shown as 0
 * (a solver's 6.5e-16 is a zero).
 */
export function tick(v, step) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const s = Math.abs(step) > 0 ? Math.abs(step) : Math.max(Math.abs(v), 1e-12);
  if (Math.abs(v) < s * 1e-6) return '0';
  const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10(s) + 1e-9)));
  const text = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * A value on its own: three significant digits, no exponent below 10^5,
 * and values under a thousandth of `scale` (the size of the numbers around
 * it) shown as 0.
 */
export function value(v, scale = 1) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) < Math.abs(scale || 1) * 1e-3) return '0';
  const a = Math.abs(v);
  if (a >= 1e5) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}

/** Human names for variable names: "your_love" → "your love". */
export function human(name) {
  return String(name).replace(/[_.]+/g, ' ');
}

function uplotAxes(xLabel, yLabel) {
  const values = (u, splits) => splits.map((v) => tick(v, splits.length > 1 ? splits[1] - splits[0] : 0));
  return [
    { label: xLabel, values, size: 40 },
    { label: yLabel, values, size: 56 },
  ];
}

/** A legend of plain HTML (works the same with a mouse, a finger or a screen reader). */
function htmlLegend(items) {
  return el('ul', { class: 'legend', 'aria-label': 'Legend' },
    items.map((it) => el('li', {}, el('span', { class: `swatch${it.band ? ' band' : ''}`, style: `background:${it.color}` }), it.label)));
}

/** Picks about `n` evenly spaced indices of `xs`, always with the first and last. */
function sampleIndices(length, n) {
  if (length <= n) return [...Array(length).keys()];
  const out = new Set();
  for (let k = 0; k < n; k++) out.add(Math.round((k * (length - 1)) / (n - 1)));
  return [...out];
}

/** A small table of the numbers behind a chart, in a closed <details>. */
function numbersTable(caption, header, rows) {
  const t = el('table', {}, el('caption', { class: 'muted' }, caption),
    el('tr', {}, header.map((h, i) => el('th', { class: i ? 'num' : '' }, h))),
    rows.map((r) => el('tr', {}, r.map((c, i) => el('td', { class: i ? 'num' : '' }, c)))));
  return el('details', { class: 'numbers', 'data-testid': 'chart-numbers' }, el('summary', {}, 'The numbers behind this chart'),
    el('div', { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: '0' }, t));
}

/**
 * A fan chart: for each variable the 10–90 % band and the median, with an
 * HTML legend and a table of the numbers as its text alternative.
 * vars: [{label, q10, q50, q90, color}]
 */
export function fanChart(container, days, vars, { title, yLabel, xLabel = 'days from now' } = {}) {
  container.replaceChildren();
  const plot = el('div', { role: 'img', 'aria-label': `${title || 'Chart'}: median and the range of 8 in 10 simulated futures, by day. The numbers are in the table below.` });
  container.append(plot);
  const data = [days];
  const series = [{ label: 'day' }];
  const bands = [];
  const legend = [];
  vars.forEach((v, i) => {
    const color = v.color || COLORS[i % COLORS.length];
    const base = data.length;
    data.push(v.q10, v.q90, v.q50);
    series.push(
      { label: `${v.label} (10%)`, stroke: color, width: 0.5, dash: [4, 4] },
      { label: `${v.label} (90%)`, stroke: color, width: 0.5, dash: [4, 4] },
      { label: `${v.label} (median)`, stroke: color, width: 2 },
    );
    bands.push({ series: [base + 1, base], fill: v.fill || BAND });
    legend.push({ label: `${v.label}: median`, color }, { label: `${v.label}: 8 in 10 futures`, color: v.fill || BAND, band: true });
  });
  const opts = {
    width: width(container), height: 280, series, bands,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false } },
    axes: uplotAxes(xLabel, yLabel || ''),
  };
  const chart = new uPlot(opts, data, plot);
  const idx = sampleIndices(days.length, 7);
  const scales = vars.map((v) => Math.max(1e-12, ...v.q10.concat(v.q90).filter(Number.isFinite).map(Math.abs)));
  const rows = idx.map((k) => [tick(days[k], 1), ...vars.map((v, i) => `${value(v.q50[k], scales[i])} (${value(v.q10[k], scales[i])} to ${value(v.q90[k], scales[i])})`)]);
  container.append(htmlLegend(legend),
    numbersTable(`${title || 'Chart'}: median (10th to 90th percentile) on some days`, [xLabel, ...vars.map((v) => v.label)], rows));
  return chart;
}

/** Plain time series: columns {name: values}; an HTML legend and a table of the last values. */
export function lineChart(container, xs, columns, { title, xLabel } = {}) {
  container.replaceChildren();
  const names = Object.keys(columns);
  const plot = el('div', { role: 'img', 'aria-label': `${title || 'Time series'} of ${names.map(human).join(', ')}. Values are in the table below.` });
  const extra = el('div');
  container.append(plot, htmlLegend(names.map((n, i) => ({ label: human(n), color: COLORS[i % COLORS.length] }))), extra);
  const data = [xs, ...names.map((n) => columns[n])];
  const series = [{ label: xLabel || 't' }, ...names.map((n, i) => ({ label: human(n), stroke: COLORS[i % COLORS.length], width: 1.5 }))];
  const chart = new uPlot({ width: width(container), height: 240, series, legend: { show: false }, cursor: { show: false }, scales: { x: { time: false } }, axes: uplotAxes(xLabel || '', '') }, data, plot);
  chart.walkaway = { names, extra, xLabel };
  fillLineNumbers(chart, xs, columns);
  return chart;
}

function fillLineNumbers(chart, xs, columns) {
  const { names, extra, xLabel } = chart.walkaway;
  const idx = sampleIndices(xs.length, 6);
  const step = xs.length > 1 ? Math.abs(xs[xs.length - 1] - xs[0]) / 100 : 1;
  extra.replaceChildren(numbersTable('Values at some times', [xLabel || 't', ...names.map(human)],
    idx.map((k) => [tick(xs[k], step), ...names.map((n) => value(columns[n][k], scaleOf(columns[n])))])));
}

function scaleOf(values) {
  return Math.max(1e-12, ...values.filter(Number.isFinite).map(Math.abs));
}

export function updateLineChart(chart, xs, columns) {
  chart.setData([xs, ...Object.keys(columns).map((n) => columns[n])]);
  fillLineNumbers(chart, xs, columns);
}

/**
 * Sizes a canvas to its box (CSS width, the given aspect ratio) at the
 * screen's pixel density, so text drawn at 12 px stays 12 px on a phone.
 * Returns the drawing size in CSS pixels.
 */
export function fitCanvas(canvas, aspect) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(240, Math.round(canvas.clientWidth || canvas.parentElement?.clientWidth || 520));
  const h = Math.round(w * aspect);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h };
}

function frame(ctx, w, h, x0, x1, y0, y1, xLabel, yLabel) {
  const pad = { l: 64, r: 12, t: 12, b: 40 };
  const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r);
  const sy = (y) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
  ctx.fillStyle = '#333';
  ctx.font = '12px system-ui, sans-serif';
  for (let k = 0; k <= 4; k++) {
    const xv = x0 + ((x1 - x0) * k) / 4;
    const yv = y0 + ((y1 - y0) * k) / 4;
    ctx.textAlign = 'center';
    ctx.fillText(tick(xv, (x1 - x0) / 4), sx(xv), h - pad.b + 14);
    ctx.textAlign = 'right';
    ctx.fillText(tick(yv, (y1 - y0) / 4), pad.l - 4, sy(yv) + 4);
  }
  ctx.textAlign = 'center';
  ctx.fillText(human(xLabel), pad.l + (w - pad.l - pad.r) / 2, h - 6);
  ctx.save();
  ctx.translate(12, pad.t + (h - pad.t - pad.b) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(human(yLabel), 0, 0);
  ctx.restore();
  ctx.textAlign = 'left';
  return { sx, sy, pad };
}

/** Draws a phase portrait from an /api/models/{id}/explore answer. */
export function drawPortrait(canvas, p) {
  const { ctx, w, h } = fitCanvas(canvas, 0.8);
  const f = p.field;
  const xs = f.x_values;
  const ys = f.y_values;
  const x0 = xs[0], x1 = xs[xs.length - 1], y0 = ys[0], y1 = ys[ys.length - 1];
  const { sx, sy } = frame(ctx, w, h, x0, x1, y0, y1, p.x, p.y);
  // Arrows: direction of the field, length scaled by its size.
  let maxLen = 0;
  for (let k = 0; k < f.dx.length; k++) {
    const ux = (f.dx[k] ?? 0) / (x1 - x0);
    const uy = (f.dy[k] ?? 0) / (y1 - y0);
    maxLen = Math.max(maxLen, Math.hypot(ux, uy));
  }
  const cell = Math.min((w - 76) / xs.length, (h - 52) / ys.length) * 0.85;
  ctx.strokeStyle = '#9aa5ab';
  ctx.fillStyle = '#9aa5ab';
  for (let j = 0; j < ys.length; j++) {
    for (let i = 0; i < xs.length; i++) {
      const k = j * xs.length + i;
      const ux = (f.dx[k] ?? 0) / (x1 - x0);
      const uy = (f.dy[k] ?? 0) / (y1 - y0);
      const len = Math.hypot(ux, uy);
      if (!(len > 0) || !(maxLen > 0)) continue;
      const scale = (cell * (0.35 + 0.65 * Math.sqrt(len / maxLen))) / len;
      const ax = sx(xs[i]), ay = sy(ys[j]);
      const bx = ax + ux * scale, by = ay - uy * scale;
      ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
      const ang = Math.atan2(by - ay, bx - ax);
      ctx.beginPath();
      ctx.moveTo(bx, by);
      ctx.lineTo(bx - 4 * Math.cos(ang - 0.5), by - 4 * Math.sin(ang - 0.5));
      ctx.lineTo(bx - 4 * Math.cos(ang + 0.5), by - 4 * Math.sin(ang + 0.5));
      ctx.fill();
    }
  }
  // Null-clines.
  const segs = (list, color) => {
    ctx.strokeStyle = color; ctx.lineWidth = 2;
    ctx.beginPath();
    for (const s of list) { ctx.moveTo(sx(s[0]), sy(s[1])); ctx.lineTo(sx(s[2]), sy(s[3])); }
    ctx.stroke();
  };
  segs(p.nullclines.x, '#1f5fa8');
  segs(p.nullclines.y, '#c0612b');
  // Trajectory.
  const tx = p.trajectory.columns[p.x];
  const ty = p.trajectory.columns[p.y];
  ctx.strokeStyle = '#1d2428'; ctx.lineWidth = 1.6;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, w, h);
  ctx.clip();
  ctx.beginPath();
  let started = false;
  for (let k = 0; k < tx.length; k++) {
    if (tx[k] === null || ty[k] === null) continue;
    if (!started) { ctx.moveTo(sx(tx[k]), sy(ty[k])); started = true; } else ctx.lineTo(sx(tx[k]), sy(ty[k]));
  }
  ctx.stroke();
  if (tx.length) { ctx.fillStyle = '#1d2428'; ctx.beginPath(); ctx.arc(sx(tx[0]), sy(ty[0]), 4, 0, 7); ctx.fill(); }
  // Equilibria: filled when stable, hollow otherwise.
  for (const e of p.equilibria) {
    if (e.x === null || e.y === null) continue;
    ctx.beginPath(); ctx.arc(sx(e.x), sy(e.y), 6, 0, 7);
    ctx.lineWidth = 2; ctx.strokeStyle = '#8a1c1c'; ctx.fillStyle = e.stable ? '#8a1c1c' : '#fff';
    ctx.fill(); ctx.stroke();
  }
  ctx.restore();
}

/** Draws a bifurcation diagram from an /api/models/{id}/bifurcation answer. */
export function drawBifurcation(canvas, b) {
  const { ctx, w, h } = fitCanvas(canvas, 0.6);
  // Branches set the scale; long-run orbit values join it when they stay
  // near the branches (or, without branches, within their 2–98 % range).
  const scale = [];
  for (const br of b.branches) for (const pt of br.points) if (pt.value !== null) scale.push(pt.value);
  const orbitVals = [];
  for (const o of b.orbits) {
    for (const v of o.values) orbitVals.push(v);
    if (!o.values.length && o.final !== null) orbitVals.push(o.final);
  }
  orbitVals.sort((x, y) => x - y);
  if (scale.length) {
    // Keep orbit values near the branches; runs that run away (unstable
    // parameter values) are clipped instead of flattening the picture.
    const bLo = Math.min(...scale), bHi = Math.max(...scale);
    const mid = (bLo + bHi) / 2;
    const reach = 20 * Math.max(bHi - bLo, Math.abs(mid) / 2, 1);
    for (const v of orbitVals) if (Math.abs(v - mid) <= reach) scale.push(v);
  } else if (orbitVals.length) {
    const q = (f) => orbitVals[Math.min(orbitVals.length - 1, Math.floor(f * orbitVals.length))];
    scale.push(q(0.02), q(0.98));
  }
  let lo = Math.min(...scale), hi = Math.max(...scale);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = -1; hi = 1; }
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const padY = 0.05 * (hi - lo);
  const { sx, sy, pad } = frame(ctx, w, h, b.from, b.to, lo - padY, hi + padY, b.param, b.variable);
  ctx.save();
  ctx.beginPath(); ctx.rect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b); ctx.clip();
  ctx.fillStyle = 'rgba(47,111,115,0.6)';
  for (const o of b.orbits) {
    const pts = o.values.length ? o.values : (o.final !== null ? [o.final] : []);
    for (const v of pts) ctx.fillRect(sx(o.param) - 1, sy(v) - 1, 2.5, 2.5);
  }
  for (const br of b.branches) {
    for (let k = 1; k < br.points.length; k++) {
      const a = br.points[k - 1], c = br.points[k];
      if (a.value === null || c.value === null) continue;
      ctx.strokeStyle = c.stable ? '#1d2428' : '#c0612b';
      ctx.setLineDash(c.stable ? [] : [5, 4]);
      ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(sx(a.param), sy(a.value)); ctx.lineTo(sx(c.param), sy(c.value)); ctx.stroke();
    }
    ctx.setLineDash([]);
    for (const s of br.special) {
      ctx.fillStyle = '#8a1c1c';
      ctx.beginPath(); ctx.arc(sx(s.param), sy(s.value), 5, 0, 7); ctx.fill();
      ctx.fillStyle = '#1d2428';
      ctx.fillText(s.kind, sx(s.param) + 6, sy(s.value) - 6);
    }
  }
  ctx.restore();
}
