// Slider ranges of the explorer, kept apart from the page so that the
// browser tests can check every end of every slider simulates.

// How far a slider may go, where its full span (below) reaches values at
// which the run fails (the solution runs away in finite time), with the
// other parameters at their defaults. Found by bisection with
// `node tests/web/slider-limits.mjs URL` (a tenth of the way back from the
// edge); the browser tests check that every end of every slider simulates.
export const KNOWN_LIMITS = {
  strogatz: { c: [-1.6, Infinity] },
  'laura-petrarch': { beta1: [-0.081, Infinity], beta2: [0.61, Infinity], beta3: [1.2, Infinity], a_l: [0.21, Infinity] },
  'gone-with-the-wind': { appeal_scarlett: [-0.76, Infinity], appeal_rhett: [-0.76, Infinity] },
};

// Sliders span the default ± three times its size (at least ±1.5), inside
// the allowed range and the known limits: wide enough to change the
// behaviour, narrow enough to move in small steps.
export function sliderRange(modelId, p) {
  const s = Math.max(Math.abs(p.default), 0.5);
  const [kLo, kHi] = KNOWN_LIMITS[modelId]?.[p.name] ?? [-Infinity, Infinity];
  const lo = Math.max(p.min ?? -Infinity, kLo, p.default - 3 * s);
  const hi = Math.min(p.max ?? Infinity, kHi, p.default + 3 * s);
  return [lo, hi];
}
