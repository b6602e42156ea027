// Shared helpers: the API client, error display and small DOM builders.

/** An error answered by the API, with the field it names. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `The server answered ${status}.`);
    this.status = status;
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

/** A visible error box for an exception, naming the field and what is allowed. */
export function errorBox(err) {
  const box = el('div', { class: 'error', role: 'alert', 'data-testid': 'error' });
  box.append(el('strong', {}, 'That did not work: '), err.message || String(err));
  if (err.field) {
    box.append(el('div', {}, `Field: ${err.field}`, err.value !== undefined ? ` — you sent ${err.value}` : ''));
  }
  if (err.allowed) box.append(el('div', {}, `Allowed: ${err.allowed}`));
  return box;
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
