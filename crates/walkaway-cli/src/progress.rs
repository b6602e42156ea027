//! A progress line on standard error for long runs: trajectories done, the
//! share, the time so far and an estimate of the time left. Drawn only when
//! standard error is a terminal (pipes, files and tests see nothing), and
//! only once a run has taken long enough to be worth watching.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Runs shorter than this never show a line (it would only flicker).
const QUIET_START: Duration = Duration::from_millis(400);
const REDRAW: Duration = Duration::from_millis(100);

/// The counter the numerics add finished trajectories to, and the thread
/// that draws it. Dropping it (or [`Progress::finish`]) clears the line.
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
            std::thread::spawn(move || draw_until_stopped(&what, total, &done, &stop))
        });
        Self { done, stop, drawer }
    }

    /// What the numerics count finished trajectories into.
    pub fn counter(&self) -> &AtomicU64 {
        &self.done
    }

    /// Stops drawing and clears the line.
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

fn draw_until_stopped(what: &str, total: u64, done: &AtomicU64, stop: &AtomicBool) {
    let started = Instant::now();
    let mut drawn = false;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(REDRAW);
        let elapsed = started.elapsed();
        if elapsed < QUIET_START {
            continue;
        }
        let line = progress_line(what, done.load(Ordering::Relaxed), total, elapsed);
        // `let _`: a closed standard error must not stop the run.
        let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
        drawn = true;
    }
    if drawn {
        let _ = write!(std::io::stderr(), "\r\x1b[2K");
    }
}

/// The text of the line, e.g. `forecast: 4,000 of 10,000 trajectories
/// (40%), 0.4 s, about 0.6 s left`.
pub fn progress_line(what: &str, done: u64, total: u64, elapsed: Duration) -> String {
    let done = done.min(total);
    let share = if total == 0 {
        1.0
    } else {
        done as f64 / total as f64
    };
    let secs = elapsed.as_secs_f64();
    let left = if done == 0 {
        String::new()
    } else {
        format!(", about {} left", seconds(secs * (1.0 - share) / share))
    };
    format!(
        "{what}: {} of {} trajectories ({:.0}%), {}{left}",
        thousands(done),
        thousands(total),
        100.0 * share,
        seconds(secs)
    )
}

fn seconds(s: f64) -> String {
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        format!("{:.0} min {:.0} s", (s / 60.0).floor(), s % 60.0)
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_how_far_and_how_long() {
        let line = progress_line("forecast", 4_000, 10_000, Duration::from_millis(400));
        assert_eq!(
            line,
            "forecast: 4,000 of 10,000 trajectories (40%), 0.4 s, about 0.6 s left"
        );
        let start = progress_line("ensemble", 0, 1_000_000, Duration::from_secs(1));
        assert_eq!(start, "ensemble: 0 of 1,000,000 trajectories (0%), 1.0 s");
        let long = progress_line("sweep", 1, 4, Duration::from_secs(90));
        assert!(
            long.ends_with("1 min 30 s, about 4 min 30 s left"),
            "{long}"
        );
    }
}
