// Shared helpers: the API client, error display and small DOM builders.

/** An error answered by the API, with the field it names. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `The server answered ${status}.`);
    this.status = status;
    this.code = e.code;
    this.field = e.field;
    this.value = e.value;
    this.allowed = e.allowed;
  }
}

/** Calls the JSON API; throws ApiError on any non-2xx answer. */
export async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Creates an element: el('p', {class: 'x'}, 'text', child, …). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/**
 * A visible error box for an exception, in plain words. `labels` maps API
 * field names to the labels on screen (e.g. {horizon_days: 'Days ahead'}),
 * so the message names what the person sees; parser and solver text is
 * never shown.
 */
export function errorBox(err, labels = {}) {
  const box = el('div', { class: 'error', role: 'alert', 'data-testid': 'error' });
  box.append(el('strong', {}, 'That did not work: '), plainMessage(err, labels));
  return box;
}

/** The sentence an error box shows. */
export function plainMessage(err, labels = {}) {
  const label = err.field ? labels[err.field] : undefined;
  if (err.code === 'simulation_failed') {
    return 'these settings could not be simulated: the numbers run away or change too fast for the solver. Try values closer to the defaults.';
  }
  if (err.code === 'busy') return 'the computer is busy with other simulations. Try again in a few seconds.';
  if (label && err.allowed) {
    const sent = err.value !== undefined && err.value !== '' ? ` (${excerpt(err.value)})` : '';
    return `${label}${sent} is not allowed. Allowed: ${err.allowed}.`;
  }
  if (err.code === 'malformed' || err.status === 400) {
    return label
      ? `${label} could not be read. Please check it and try again.`
      : 'the page sent something the server could not read. Please reload the page and try again.';
  }
  if (err.status >= 500) return 'something went wrong on this computer’s server. Please try again.';
  if (err.field && err.allowed) return `${err.field} is not allowed. Allowed: ${err.allowed}.`;
  return err.message || String(err);
}

function excerpt(v) {
  const s = String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

/**
 * Marks one input as wrong: aria-invalid, the message linked with
 * aria-describedby, focus on it. Returns a function that clears the mark.
 */
export function markInvalid(input, box) {
  if (!box.id) box.id = `error-${input.id || 'field'}`;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', box.id);
  const details = input.closest('details');
  if (details) details.open = true;
  input.focus();
}

export function clearInvalid(root) {
  for (const input of root.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}

/** Wraps a table so it scrolls inside its own box on narrow screens. */
export function scrollBox(table, label) {
  return el('div', { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: '0' }, table);
}

export function percent(p) {
  return p === null || p === undefined || Number.isNaN(p) ? '–' : `${Math.round(100 * p)}%`;
}

export function interval(p) {
  return `${percent(p.ci_low)}–${percent(p.ci_high)}`;
}

export function app() {
  return document.getElementById('app');
}

export function formatDate(ms) {
  return new Date(ms).toLocaleString();
}
