// "Your own model" on the explore page: paste an equation file (or pick one
// from this computer), send it to the server, and explore it like a catalog
// model. The format is in docs/models.md; .ode files are XPPAUT's.
import { api, el, errorBox } from './common.js';

// The server refuses larger files; checking here saves the round trip.
const MAX_BYTES = 65536;

const EXAMPLE = `[model]
id = "my-model"
title = "My model"
citation = "(your reference)"
t_end = 20

[states]
romeo = 1
juliet = 0

[params]
a = { default = -0.2, min = -2, max = 2 }
b = { default = 1, min = -2, max = 2 }

[equations]
romeo = "a*romeo + b*juliet"
juliet = "-b*romeo + a*juliet"
`;

// A panel that calls `onModel(info)` with the description of each model the
// server accepts.
export function ownModelPanel(onModel) {
  const text = el('textarea', { id: 'own-model-text', rows: 14, cols: 70, spellcheck: 'false', 'aria-label': 'Equation file' });
  text.value = EXAMPLE;
  const format = el('select', { id: 'own-model-format' },
    el('option', { value: 'toml' }, 'equation file (TOML)'), el('option', { value: 'ode' }, 'XPPAUT .ode'));
  const file = el('input', { type: 'file', id: 'own-model-file', accept: '.toml,.ode,.txt' });
  const status = el('div', { 'data-testid': 'own-model-status' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    if (f.size > MAX_BYTES) { status.replaceChildren(errorBox(new Error(`The file has ${f.size} bytes; at most ${MAX_BYTES} are allowed.`))); return; }
    text.value = await f.text();
    if (f.name.toLowerCase().endsWith('.ode')) format.value = 'ode';
  });
  const load = el('button', { type: 'button', id: 'own-model-load' }, 'Use this model');
  load.addEventListener('click', async () => {
    if (new TextEncoder().encode(text.value).length > MAX_BYTES) {
      status.replaceChildren(errorBox(new Error(`The text is longer than ${MAX_BYTES} bytes.`)));
      return;
    }
    status.textContent = 'Compiling…';
    try {
      const info = await api('POST', '/api/models', { text: text.value, format: format.value });
      status.textContent = `Loaded “${info.title}” as ${info.id}.`;
      onModel(info);
    } catch (e) { status.replaceChildren(errorBox(e)); }
  });
  return el('details', { class: 'own-model' },
    el('summary', {}, 'Your own model (paste or open an equation file)'),
    el('p', { class: 'muted' }, 'States, parameters with ranges, equations as formulas; XPPAUT .ode files of the common subset work too. Errors name the line and column.'),
    el('div', { class: 'row' }, el('label', { for: 'own-model-format' }, 'Format '), format, el('label', { for: 'own-model-file' }, ' or open a file '), file),
    text, el('div', { class: 'row' }, load), status);
}
