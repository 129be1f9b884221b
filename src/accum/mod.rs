//! Statistics as accumulators over the typed metric registry: each absorbs batches of
//! trials, merges with the accumulator of another range of the same run, and is
//! serialisable, so that partial runs (threads, shards on other machines) combine into
//! exactly the result of one run.

pub mod codec;
pub mod counts;
pub mod loghist;
pub mod metric;
pub mod sums;

pub use counts::Counts;
pub use loghist::LogHist;
pub use metric::Metric;
pub use sums::{ExactSum, SumAcc};
