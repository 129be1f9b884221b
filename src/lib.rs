//! `payback`: a Monte Carlo risk simulator for the payback period, NPV, ROI and total cost
//! of ownership of deploying enterprise IM, audio/video or customer-service systems.
//!
//! The pipeline: [`scenario`] (TOML → validated inputs and line items) →
//! [`model`] (compiled, column-wise cash-flow program) → [`engine`] (batches of trials
//! in parallel, keyed draws from [`rng`]) → [`stats`] and [`summary`] → reports.
//! The number definitions are docs/MODEL.md's; the README's "Model" section restates them.

// Unsafe code is denied everywhere but in `engine::simd`, which allows it for two calls:
// the AVX2 or AVX-512 build of the batch kernel and the AVX-512 build of the uniforms, each
// after detecting its features at run time.
#![deny(unsafe_code)]
// Lane loops index several columns in lockstep; iterator zips of four slices read worse.
#![allow(clippy::needless_range_loop)]

pub mod accum;
pub mod charts;
pub mod cli;
pub mod compare;
pub mod distributions;
pub mod engine;
pub mod expr;
pub mod files;
pub mod fit;
pub mod format;
pub mod model;
pub mod replicates;
pub mod report;
pub mod rng;
pub mod sampling;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod simulate;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod sweep_charts;
pub mod workbook;
