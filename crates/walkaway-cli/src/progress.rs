//! A progress bar on standard error for long runs, drawn by indicatif:
//! trajectories done, the share, the time so far and an estimate of the
//! time left. Shown only when standard error is a terminal (pipes, files
//! and tests see nothing), and only once a run has taken long enough to be
//! worth watching.
//!
//! The numerics count finished trajectories into an `AtomicU64` (core knows
//! nothing of terminals); a small thread copies that count to the bar.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this never show a bar (it would only flicker).
const QUIET_START: Duration = Duration::from_millis(400);
const REDRAW: Duration = Duration::from_millis(100);
/// E.g. `forecast: 4,000 of 10,000 trajectories (40%), 0s, about 1s left`.
const TEMPLATE: &str =
    "{prefix}: {human_pos} of {human_len} trajectories ({percent}%), {elapsed}, about {eta} left";

/// The counter the numerics add finished trajectories to, and the thread
/// that shows it. Dropping it (or [`Progress::finish`]) clears the bar.
#[derive(Debug)]
pub struct Progress {
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts a display of `total` trajectories named `what`.
    pub fn start(what: &str, total: u64) -> Self {
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let drawer = std::io::stderr().is_terminal().then(|| {
            let (done, stop, what) = (done.clone(), stop.clone(), what.to_string());
            std::thread::spawn(move || draw_until_stopped(what, total, &done, &stop))
        });
        Self { done, stop, drawer }
    }

    /// What the numerics count finished trajectories into.
    pub fn counter(&self) -> &AtomicU64 {
        &self.done
    }

    /// Stops drawing and clears the bar.
    pub fn finish(mut self) {
        self.stop_drawing();
    }

    fn stop_drawing(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.drawer.take() {
            let _ = handle.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_drawing();
    }
}

fn draw_until_stopped(what: String, total: u64, done: &AtomicU64, stop: &AtomicBool) {
    let started = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(REDRAW);
        if started.elapsed() < QUIET_START {
            continue;
        }
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            // The template is fixed text; should it ever fail to parse,
            // indicatif's plain bar is still a progress bar.
            bar.set_style(
                ProgressStyle::with_template(TEMPLATE)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_prefix(what.clone());
            bar
        });
        bar.set_position(done.load(Ordering::Relaxed).min(total));
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}
