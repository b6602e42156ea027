// Saved: list, reopen, export (JSON, CSV), delete one, delete all.
import { api, el, errorBox, app, formatDate, scrollBox } from './common.js';

const root = app();
const list = el('div', { 'data-testid': 'saved-list' });
const errors = el('div');
const status = el('p', { class: 'status', 'data-testid': 'status', role: 'status' });

function openLink(item) {
  if (item.kind === 'forecast') return `/forecast?saved=${item.id}`;
  return `/?saved=${item.id}`;
}

async function load() {
  errors.replaceChildren();
  let items;
  try {
    items = (await api('GET', '/api/saved')).items;
  } catch (e) { errors.append(errorBox(e)); return; }
  if (!items.length) {
    list.replaceChildren(el('p', { 'data-testid': 'empty' }, 'Nothing saved.'));
    return;
  }
  const t = el('table', {}, el('tr', {}, el('th', {}, 'title'), el('th', {}, 'kind'), el('th', {}, 'saved'), el('th', {}, '')));
  for (const it of items) {
    const del = el('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${it.title}` }, 'Delete');
    del.addEventListener('click', async () => {
      try { await api('DELETE', `/api/saved/${it.id}`); status.textContent = `Deleted “${it.title}”.`; load(); } catch (e) { errors.append(errorBox(e)); }
    });
    t.append(el('tr', { 'data-id': it.id },
      el('td', {}, it.title), el('td', {}, it.kind), el('td', {}, formatDate(it.created_ms)),
      el('td', {},
        el('a', { class: 'button', href: it.body?.model ? `/explore?saved=${it.id}` : openLink(it), 'data-open': it.id }, 'Open'), ' ',
        el('a', { class: 'button secondary', href: `/api/saved/${it.id}/export?format=json`, download: '' }, 'JSON'), ' ',
        el('a', { class: 'button secondary', href: `/api/saved/${it.id}/export?format=csv`, download: '' }, 'CSV'), ' ',
        del)));
  }
  list.replaceChildren(scrollBox(t, 'Saved items'));
  // Scenarios saved on the Explore page reopen there.
  for (const it of items.filter((x) => x.kind === 'scenario')) {
    api('GET', `/api/saved/${it.id}`).then((full) => {
      if (full.body && full.body.model) {
        const a = list.querySelector(`a[data-open="${it.id}"]`);
        if (a) a.href = `/explore?saved=${it.id}`;
      }
    }).catch(() => {});
  }
}

const wipe = el('button', { type: 'button', class: 'danger', id: 'delete-all' }, 'Delete all my data');
wipe.addEventListener('click', async () => {
  if (!confirm('Delete every saved scenario and forecast, and your journal, from this computer? This cannot be undone.')) return;
  try {
    const r = await api('DELETE', '/api/saved');
    // The browser's own copies go too: the last forecast of this tab and the country setting.
    try { sessionStorage.clear(); localStorage.clear(); } catch { /* storage blocked: nothing kept there */ }
    status.textContent = `Deleted ${r.deleted} item(s) and journal day(s). Nothing of them is left in the database file, and this browser's copies are cleared.`;
    load();
  } catch (e) { errors.append(errorBox(e)); }
});

root.append(el('p', {}, 'Everything you save is kept in a database file on this computer and nowhere else.'), status, list, errors,
  el('h2', {}, 'Delete all my data'), el('p', {}, 'Removes every saved item and every day of your journal, scrubs them from the database file, and clears what this browser keeps for the site (the last forecast and the country setting).'), wipe);
load();
