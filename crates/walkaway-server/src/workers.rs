//! Where CPU-heavy work runs, so that light work never waits behind heavy.
//!
//! Two lanes, each a bounded queue on blocking threads:
//! - **light** (simulate, explore, bifurcation): one job per core at once,
//!   on rayon's global pool when a job spreads out (basins);
//! - **heavy** (forecasts): one job at a time on its own rayon pool with one
//!   thread fewer than there are cores, so a core stays free for light work
//!   however many forecasts are asked for.
//!
//! Each lane admits at most `running + waiting` jobs; beyond that, or when a
//! job has waited longer than its lane's deadline, the answer is
//! [`ApiError::Busy`] (503 with `Retry-After`). A job whose request is
//! dropped (the client went away) leaves the queue at once; a running
//! forecast sees its [`Cancel`] flag and stops at the next chunk.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// How many jobs a lane runs at once, how many may wait, and for how long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaneSize {
    pub running: usize,
    pub waiting: usize,
    pub deadline: Duration,
}

#[derive(Debug, Clone)]
struct Lane {
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
    deadline: Duration,
}

/// A place in a lane: admitted and running (dropped when the job ends).
#[derive(Debug)]
pub struct Slot {
    _admitted: OwnedSemaphorePermit,
    _running: OwnedSemaphorePermit,
}

impl Lane {
    fn new(size: LaneSize) -> Self {
        let running = size.running.max(1);
        Self {
            admitted: Arc::new(Semaphore::new(running + size.waiting)),
            running: Arc::new(Semaphore::new(running)),
            deadline: size.deadline,
        }
    }

    /// Admission (503 at once when full) and the wait for a running slot
    /// (503 after the deadline).
    async fn enter(&self) -> Result<Slot, ApiError> {
        let admitted = self.admit()?;
        self.start(admitted).await
    }

    fn admit(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        self.admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::Busy)
    }

    async fn start(&self, admitted: OwnedSemaphorePermit) -> Result<Slot, ApiError> {
        let running = tokio::time::timeout(self.deadline, self.running.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::Busy)?
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Slot {
            _admitted: admitted,
            _running: running,
        })
    }
}

/// A flag a running job checks to stop early; [`CancelOnDrop`] raises it
/// when the request that started the job is dropped.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

/// Raises the flag when dropped (the handler's future is dropped when the
/// client disconnects).
#[derive(Debug)]
pub struct CancelOnDrop(pub Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// The two lanes and the forecasts' thread pool.
#[derive(Debug, Clone)]
pub struct Workers {
    light: Lane,
    heavy: Lane,
    heavy_pool: Arc<rayon::ThreadPool>,
}

/// A heavy job admitted to its lane but not yet started (see
/// [`Workers::admit_heavy`]).
#[derive(Debug)]
pub struct HeavyTicket {
    admitted: OwnedSemaphorePermit,
}

impl Workers {
    /// Lanes of the given sizes; forecasts get `heavy_threads` threads.
    pub fn new(light: LaneSize, heavy: LaneSize, heavy_threads: usize) -> Self {
        let heavy_pool = rayon::ThreadPoolBuilder::new()
            .num_threads(heavy_threads.max(1))
            .thread_name(|i| format!("walkaway-forecast-{i}"))
            .build()
            .unwrap_or_else(|_| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .expect("a one-thread pool")
            });
        Self {
            light: Lane::new(light),
            heavy: Lane::new(heavy),
            heavy_pool: Arc::new(heavy_pool),
        }
    }

    /// One light job per core with room for eight times as many waiting (up
    /// to 10 s); one forecast at a time on all cores but one, four waiting
    /// (up to 5 minutes: a forecast takes up to about a minute).
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(
            LaneSize {
                running: cores,
                waiting: 8 * cores,
                deadline: Duration::from_secs(10),
            },
            LaneSize {
                running: 1,
                waiting: 4,
                deadline: Duration::from_secs(300),
            },
            cores.saturating_sub(1).max(1),
        )
    }

    /// Runs a light job on a blocking thread once a slot is free. A panic in
    /// the job becomes a 500, not a crash.
    pub async fn run<T, F>(&self, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let slot = self.light.enter().await?;
        blocking(slot, job).await
    }

    /// Runs a heavy job on the forecasts' pool once the heavy lane has room;
    /// `cancel` is raised if the caller's future is dropped.
    pub async fn run_heavy<T, F>(&self, cancel: Cancel, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let _raise_when_dropped = CancelOnDrop(cancel);
        let ticket = self.admit_heavy()?;
        self.run_admitted(ticket, job).await
    }

    /// Takes a place in the heavy queue now (503 if there is none), to start
    /// later with [`Workers::run_admitted`] (forecast jobs answer 202 at once).
    pub fn admit_heavy(&self) -> Result<HeavyTicket, ApiError> {
        Ok(HeavyTicket {
            admitted: self.heavy.admit()?,
        })
    }

    /// Waits for the heavy lane's running slot, then runs `job` on the
    /// forecasts' pool.
    pub async fn run_admitted<T, F>(&self, ticket: HeavyTicket, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let slot = self.heavy.start(ticket.admitted).await?;
        let pool = self.heavy_pool.clone();
        blocking(slot, move || pool.install(job)).await
    }
}

async fn blocking<T, F>(slot: Slot, job: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    let joined = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        job()
    })
    .await;
    match joined {
        Ok(result) => result,
        Err(e) => Err(ApiError::Internal(format!("a worker failed: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Workers {
        Workers::new(
            LaneSize {
                running: 1,
                waiting: 1,
                deadline: Duration::from_millis(200),
            },
            LaneSize {
                running: 1,
                waiting: 0,
                deadline: Duration::from_millis(200),
            },
            1,
        )
    }

    #[tokio::test]
    async fn light_work_runs_while_the_heavy_lane_is_full() {
        let w = small();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let heavy = tokio::spawn({
            let w = w.clone();
            async move {
                w.run_heavy(Cancel::new(), move || {
                    let _ = rx.recv();
                    Ok(())
                })
                .await
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        // The heavy lane is full…
        assert!(matches!(
            w.run_heavy(Cancel::new(), || Ok(())).await,
            Err(ApiError::Busy)
        ));
        // …and light work still runs.
        assert_eq!(w.run(|| Ok(7)).await.unwrap(), 7);
        tx.send(()).unwrap();
        heavy.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn a_queued_job_gives_up_at_its_deadline() {
        let w = small();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let first = tokio::spawn({
            let w = w.clone();
            async move {
                w.run(move || {
                    let _ = rx.recv();
                    Ok(())
                })
                .await
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        // Admitted (one may wait), but the slot does not free in time.
        assert!(matches!(w.run(|| Ok(())).await, Err(ApiError::Busy)));
        tx.send(()).unwrap();
        first.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn dropping_the_request_raises_the_cancel_flag() {
        let w = small();
        let cancel = Cancel::new();
        let seen = cancel.clone();
        let job = {
            let cancel = cancel.clone();
            let w = w.clone();
            tokio::spawn(async move {
                w.run_heavy(cancel.clone(), move || {
                    while !cancel.is_cancelled() {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err::<(), _>(ApiError::Cancelled)
                })
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        job.abort();
        let _ = job.await;
        for _ in 0..100 {
            if seen.is_cancelled() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(seen.is_cancelled());
        // The lane is free again once the job saw the flag.
        let mut ok = false;
        for _ in 0..100 {
            if w.run_heavy(Cancel::new(), || Ok(())).await.is_ok() {
                ok = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(ok);
    }
}
