// Finds, for every real parameter of every catalog model, how far its
// explorer slider can go (others at their defaults) before the run fails,
// by bisection between the default and the slider's end. Prints the table
// kept in web/js/sliders.js (KNOWN_LIMITS). Usage, with a server running:
//   node slider-limits.mjs http://127.0.0.1:8080
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './harness.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080';
const source = readFileSync(join(repo, 'web', 'js', 'sliders.js'), 'utf8').replace(/export const KNOWN_LIMITS = \{[\s\S]*?\n\};/, 'export const KNOWN_LIMITS = {};');
const { sliderRange } = await import(`data:text/javascript,${encodeURIComponent(source)}`);

async function simulates(model, name, v) {
  const res = await fetch(`${base}/api/models/${model}/simulate`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ params: { [name]: v } }),
  });
  return res.status === 200;
}

/** Two significant digits, rounded towards the default. */
function towards(v, d) {
  const p = 10 ** (Math.floor(Math.log10(Math.abs(v) || 1)) - 1);
  return v > d ? Math.floor(v / p) * p : Math.ceil(v / p) * p;
}

const models = (await (await fetch(`${base}/api/models`)).json()).models;
const out = {};
for (const m of models) {
  for (const p of m.params.filter((x) => x.kind === 'real')) {
    const [lo, hi] = sliderRange(m.id, p);
    const limit = [-Infinity, Infinity];
    for (const [k, end] of [[0, lo], [1, hi]]) {
      if (await simulates(m.id, p.name, end)) continue;
      let good = p.default;
      let bad = end;
      for (let i = 0; i < 10; i++) {
        const mid = (good + bad) / 2;
        if (await simulates(m.id, p.name, mid)) good = mid; else bad = mid;
      }
      // Keep a tenth of the way back from the edge found.
      limit[k] = Number(towards(good - 0.1 * (good - p.default), p.default).toPrecision(2));
    }
    if (limit[0] !== -Infinity || limit[1] !== Infinity) (out[m.id] ||= {})[p.name] = limit;
  }
}
console.log(JSON.stringify(out, (k, v) => (v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v), 2));
