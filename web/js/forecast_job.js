// A forecast run as a job (POST /api/forecast/jobs): a progress bar while
// the futures are simulated, in plain words and for screen readers, and a
// Cancel button that stops the work on the server, not only the waiting.
import { api, el, ApiError } from './common.js';

/** Thrown when the person cancelled the forecast. */
export class Cancelled extends Error {
  constructor() { super('Cancelled'); }
}

const POLL_MS = 400;
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * Runs a forecast request as a job, showing its progress and a Cancel
 * button in `host` while it runs. Resolves with the forecast; rejects with
 * ApiError (the request was refused or the run failed) or Cancelled.
 */
export async function runForecastJob(body, host) {
  const fill = el('div', { class: 'progress-fill' });
  const words = el('span', { class: 'progress-words' }, 'Simulating futures… 0%');
  const bar = el('div', {
    role: 'progressbar', 'aria-label': 'Simulating futures', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': '0', 'aria-valuetext': 'Simulating futures… 0%', class: 'progress-track', 'data-testid': 'forecast-progress',
  }, fill);
  const cancel = el('button', { type: 'button', class: 'secondary', id: 'cancel-forecast' }, 'Cancel');
  const show = (job) => {
    const pct = Math.max(0, Math.min(100, Math.floor(100 * (job.fraction || 0))));
    const text = `Simulating futures… ${pct}%`;
    bar.setAttribute('aria-valuenow', String(pct));
    bar.setAttribute('aria-valuetext', text);
    fill.style.width = `${pct}%`;
    words.textContent = text;
  };
  let cancelled = false;
  let job = null;
  cancel.addEventListener('click', async () => {
    cancelled = true;
    cancel.disabled = true;
    words.textContent = 'Stopping…';
    // Stops the simulation on the server; a job that just finished is gone already.
    if (job) await api('DELETE', job.url).catch(() => {});
  });
  host.replaceChildren(el('div', { class: 'progress', 'data-testid': 'forecast-running' }, bar, el('div', { class: 'row' }, words, cancel)));
  try {
    job = await api('POST', '/api/forecast/jobs', body);
    for (;;) {
      if (cancelled) {
        await api('DELETE', job.url).catch(() => {});
        throw new Cancelled();
      }
      show(job);
      if (job.state === 'done') return job.result;
      if (job.state === 'failed') throw new ApiError((job.error && job.error.status) || 500, { error: job.error });
      if (job.state === 'cancelled') throw new Cancelled();
      await sleep(POLL_MS);
      if (cancelled) continue;
      job = await api('GET', job.url);
    }
  } catch (e) {
    // A poll that raced the Cancel button answers 404: the job is gone.
    if (cancelled) throw new Cancelled();
    throw e;
  } finally {
    host.replaceChildren();
  }
}
