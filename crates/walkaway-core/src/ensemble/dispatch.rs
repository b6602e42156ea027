//! Runtime choice of the instruction set the lane kernel runs with.
//!
//! The default build targets the x86-64 baseline (SSE2), so that one binary
//! runs on every x86-64 machine. The lane kernel is plain Rust over
//! `[Lane<8>; N]` arrays (`crate::real`), and the compiler vectorises it for whatever
//! instruction set it may use: with AVX2 each state variable's eight lanes
//! fit two 256-bit registers instead of four 128-bit ones. This module
//! compiles the same kernel a second (and third) time with those
//! instruction sets enabled and picks the widest the CPU reports at run
//! time (`is_x86_feature_detected!`, which std caches). The AVX-512 path
//! runs [`AVX512_LANES`] lanes, not the caller's eight: with one register
//! per variable it was 2x slower than AVX2 (docs/performance.md, "Runtime
//! dispatch").
//!
//! The results are the same to the bit on every path: Rust never fuses a
//! multiplication and an addition into an FMA unless the code asks for it
//! (`mul_add`, which neither the kernel nor `Real` offers), so enabling FMA only lets the
//! compiler choose wider registers, not different roundings. A test runs
//! every path the machine has and compares the bits
//! (`every_kernel_path_gives_the_same_bits`).
//!
//! This is the only module of the workspace that uses `unsafe`: calling a
//! function compiled for an instruction set from code that is not requires
//! the caller to vouch that the CPU has it. Each call is guarded by the
//! runtime check right before it.
#![allow(unsafe_code)]

use super::EnsembleError;
use super::kernel::{KernelOptions, TrajectoryWork, integrate_batch};
use super::systems::LaneSystem;
use std::ops::Range;

/// An instruction set the lane kernel can run with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelPath {
    /// What the binary was built for (the x86-64 baseline by default).
    Portable,
    /// AVX2 and FMA (x86-64-v3; Intel since 2013, AMD since 2015).
    Avx2Fma,
    /// AVX-512 F/DQ/VL on top of AVX2 (x86-64-v4).
    Avx512,
}

impl KernelPath {
    /// Every path, widest first.
    pub const ALL: [KernelPath; 3] = [
        KernelPath::Avx512,
        KernelPath::Avx2Fma,
        KernelPath::Portable,
    ];

    pub fn name(self) -> &'static str {
        match self {
            KernelPath::Portable => "portable",
            KernelPath::Avx2Fma => "avx2+fma",
            KernelPath::Avx512 => "avx512",
        }
    }

    /// Whether this CPU can run the path.
    pub fn is_available(self) -> bool {
        match self {
            KernelPath::Portable => true,
            #[cfg(target_arch = "x86_64")]
            KernelPath::Avx2Fma => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            KernelPath::Avx512 => {
                KernelPath::Avx2Fma.is_available()
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                    && std::arch::is_x86_feature_detected!("avx512vl")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The path ensembles use: the widest this CPU has. AVX-512 (with
    /// [`AVX512_LANES`] lanes) measured 0.82-0.95x the cpu time of AVX2 on
    /// the four models we timed (docs/performance.md, "Runtime dispatch").
    pub fn best() -> KernelPath {
        if KernelPath::Avx512.is_available() {
            KernelPath::Avx512
        } else if KernelPath::Avx2Fma.is_available() {
            KernelPath::Avx2Fma
        } else {
            KernelPath::Portable
        }
    }
}

/// Lanes of the AVX-512 path when the caller's are fewer: with eight, each
/// state variable is one 512-bit register and every stage is one chain of
/// dependent operations, which leaves the processor waiting on latencies
/// (the path measured 2x slower than AVX2's two registers per variable).
/// Each lane computes the same bits at any width, so only the speed changes.
pub const AVX512_LANES: usize = 32;

/// [`integrate_batch`] on `path`, or on the portable path if this CPU
/// cannot run `path`.
pub(crate) fn integrate_batch_on<const N: usize, const P: usize, const W: usize, S>(
    path: KernelPath,
    sys: &S,
    indices: Range<u64>,
    parameters: impl FnMut(u64) -> [f64; P],
    opts: &KernelOptions,
    finished: impl FnMut(u64, &[f64; N], TrajectoryWork),
) -> Result<(), EnsembleError>
where
    S: LaneSystem<N, P>,
{
    #[cfg(target_arch = "x86_64")]
    match path {
        KernelPath::Avx512 if path.is_available() => {
            // SAFETY: the CPU reports AVX-512 F/DQ/VL, AVX2 and FMA
            // (checked on the line above), which is all `with_avx512`
            // was compiled to use.
            return unsafe {
                if W >= AVX512_LANES {
                    with_avx512::<N, P, W, S>(sys, indices, parameters, opts, finished)
                } else {
                    with_avx512::<N, P, AVX512_LANES, S>(sys, indices, parameters, opts, finished)
                }
            };
        }
        KernelPath::Avx2Fma if path.is_available() => {
            // SAFETY: the CPU reports AVX2 and FMA (checked on the line
            // above), which is all `with_avx2` was compiled to use.
            return unsafe { with_avx2::<N, P, W, S>(sys, indices, parameters, opts, finished) };
        }
        _ => {}
    }
    let _ = path;
    integrate_batch::<N, P, W, S>(sys, indices, parameters, opts, finished)
}

/// The kernel compiled for AVX2 and FMA (`integrate_batch` is inlined here,
/// so its loops are vectorised for 256-bit registers).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn with_avx2<const N: usize, const P: usize, const W: usize, S>(
    sys: &S,
    indices: Range<u64>,
    parameters: impl FnMut(u64) -> [f64; P],
    opts: &KernelOptions,
    finished: impl FnMut(u64, &[f64; N], TrajectoryWork),
) -> Result<(), EnsembleError>
where
    S: LaneSystem<N, P>,
{
    integrate_batch::<N, P, W, S>(sys, indices, parameters, opts, finished)
}

/// The kernel compiled for AVX-512 (512-bit registers: four per state
/// variable for [`AVX512_LANES`] lanes).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
fn with_avx512<const N: usize, const P: usize, const W: usize, S>(
    sys: &S,
    indices: Range<u64>,
    parameters: impl FnMut(u64) -> [f64; P],
    opts: &KernelOptions,
    finished: impl FnMut(u64, &[f64; N], TrajectoryWork),
) -> Result<(), EnsembleError>
where
    S: LaneSystem<N, P>,
{
    integrate_batch::<N, P, W, S>(sys, indices, parameters, opts, finished)
}

/// Work written over `Lane<W>` for any width, which [`run_lane_work`]
/// compiles once per instruction set with a width that suits it (as
/// [`integrate_batch_on`] does for the ensemble kernel). `run` and what it
/// calls on its hot path must be `#[inline(always)]`: only code inlined
/// into the wrappers below is compiled for their instruction sets.
pub(crate) trait LaneWork {
    type Output;
    /// Does the work with `W` lanes; every width must give the same result.
    fn run<const W: usize>(self) -> Self::Output;
}

/// Lanes of [`LaneWork`] on each path, chosen by timing the journal
/// filter's replays (docs/performance.md, "Journal filter"): on AVX-512,
/// 32 lanes (four registers per value) took 0.77x the cpu time of 8 and
/// 0.93x of 16; on AVX2, 8 and 16 were alike and 32 slower; on the
/// baseline, 4 and 8 were alike.
pub(crate) const WORK_LANES_PORTABLE: usize = 4;
pub(crate) const WORK_LANES_AVX2: usize = 8;
pub(crate) const WORK_LANES_AVX512: usize = 32;

/// Runs `work` on `path` (or on the portable path if this CPU cannot run
/// `path`).
pub(crate) fn run_lane_work<V: LaneWork>(path: KernelPath, work: V) -> V::Output {
    #[cfg(target_arch = "x86_64")]
    match path {
        KernelPath::Avx512 if path.is_available() => {
            // SAFETY: the CPU reports AVX-512 F/DQ/VL, AVX2 and FMA
            // (checked on the line above), all that the wrapper may use.
            return unsafe { lane_work_avx512(work) };
        }
        KernelPath::Avx2Fma if path.is_available() => {
            // SAFETY: the CPU reports AVX2 and FMA (checked above).
            return unsafe { lane_work_avx2(work) };
        }
        _ => {}
    }
    let _ = path;
    work.run::<WORK_LANES_PORTABLE>()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn lane_work_avx2<V: LaneWork>(work: V) -> V::Output {
    work.run::<WORK_LANES_AVX2>()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
fn lane_work_avx512<V: LaneWork>(work: V) -> V::Output {
    work.run::<WORK_LANES_AVX512>()
}
