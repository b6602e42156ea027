// Concrete help: emergency numbers and domestic-abuse helplines from
// /assets/data/helplines.json (each entry with its source and the date it
// was checked), picked by a country setting kept in this browser's
// localStorage (cleared by "Delete all my data").
import { el } from './common.js';

const KEY = 'walkaway.country';
let cache;

async function load() {
  if (!cache) {
    cache = fetch('/assets/data/helplines.json').then((r) => {
      if (!r.ok) throw new Error(`helplines: ${r.status}`);
      return r.json();
    });
  }
  return cache;
}

/** The stored country, else the region of the browser's language, else none. */
function initialCountry(data) {
  let stored = null;
  try { stored = localStorage.getItem(KEY); } catch { stored = null; }
  if (stored) return stored;
  const region = (navigator.language || '').split('-')[1];
  const code = region ? region.toUpperCase() : '';
  return data.countries.some((c) => c.code === code) ? code : '';
}

function linesFor(data, code) {
  const c = data.countries.find((x) => x.code === code);
  if (!c) return [el('p', { 'data-testid': 'helpline-unknown' }, data.unknown)];
  const items = [el('li', {}, 'In danger now: call ', el('span', { class: 'phone' }, c.emergency), '.')];
  for (const line of c.lines) {
    items.push(el('li', {}, `${line.name}: `, el('a', { class: 'phone', href: `tel:${line.phone.replace(/[^0-9+]/g, '')}` }, line.phone),
      line.text ? `, or ${line.text}` : '', '.'));
  }
  const out = [el('ul', { 'data-testid': 'helpline-list' }, items)];
  if (c.note) out.push(el('p', {}, c.note));
  out.push(el('p', { class: 'muted' }, `Source: ${c.source}; checked ${c.checked}.`));
  return out;
}

/**
 * The "help now" box: a country select and the numbers for it.
 * `open`: whether the box starts open (the safety notice opens it).
 */
export function helpBox({ open = false, id = 'help-now' } = {}) {
  const body = el('div', { 'data-testid': 'helplines' });
  const select = el('select', { id: `${id}-country` });
  const box = el('details', { class: 'help-now', id, open, 'data-testid': 'help-now' },
    el('summary', {}, 'Help now: emergency numbers and helplines'),
    el('div', { class: 'row' }, el('label', { for: `${id}-country` }, 'Where are you? '), select),
    body);
  load().then((data) => {
    select.replaceChildren(
      el('option', { value: '' }, 'another country / not listed'),
      ...data.countries.map((c) => el('option', { value: c.code }, c.name)));
    select.value = initialCountry(data);
    const show = () => body.replaceChildren(...linesFor(data, select.value));
    select.addEventListener('change', () => {
      try { localStorage.setItem(KEY, select.value); } catch { /* private mode may refuse; the choice still shows */ }
      show();
    });
    show();
  }).catch(() => {
    body.replaceChildren(el('p', {}, 'The list of helplines could not be loaded. If you are in danger now, call your local emergency number.'));
  });
  return box;
}
