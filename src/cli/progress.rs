//! The progress bar on stderr: shown while a stretch of at least [`MIN_SHOWN`] trials runs,
//! when stderr is a terminal and `--quiet` is not given.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::simulate::Progress;

/// The smallest stretch of trials that shows a bar.
pub const MIN_SHOWN: u64 = 2_000_000;

/// The trials of the current stretch and how many of them are done (what the bar shows).
#[derive(Debug, Default)]
pub struct Bar {
    total: AtomicU64,
    done: AtomicU64,
}

impl Progress for Bar {
    fn stretch(&self, trials: u64) -> &AtomicU64 {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(trials, Ordering::Relaxed);
        &self.done
    }
}

/// Run `work` with a [`Bar`] drawn on stderr (when it is a terminal and not `quiet`).
pub fn with_bar<T: Send>(quiet: bool, work: impl FnOnce(&Bar) -> T + Send) -> T {
    let bar = Bar::default();
    if quiet || !std::io::stderr().is_terminal() {
        return work(&bar);
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|sc| {
        sc.spawn(|| draw(&bar, &finished));
        let r = work(&bar);
        finished.store(true, Ordering::Relaxed);
        r
    })
}

/// Show a progress bar on stderr while `work` runs one stretch of `total` trials.
pub fn with_progress<T: Send>(
    total: u64,
    quiet: bool,
    work: impl FnOnce(&AtomicU64) -> T + Send,
) -> T {
    with_bar(quiet, |bar| work(bar.stretch(total)))
}

/// Draw the bar of each long stretch until `finished`.
fn draw(bar: &Bar, finished: &AtomicBool) {
    let mut shown: Option<(u64, indicatif::ProgressBar)> = None;
    while !finished.load(Ordering::Relaxed) {
        let total = bar.total.load(Ordering::Relaxed);
        if shown.as_ref().map(|s| s.0) != Some(total) {
            if let Some((_, b)) = shown.take() {
                b.finish_and_clear();
            }
            shown = (total >= MIN_SHOWN).then(|| (total, new_bar(total)));
        }
        if let Some((t, b)) = &shown {
            b.set_position(bar.done.load(Ordering::Relaxed).min(*t));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if let Some((_, b)) = shown {
        b.finish_and_clear();
    }
}

fn new_bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {percent:>3}% {human_pos}/{human_len} trials, ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Progress that counts every stretch into one counter (a sweep's points into the sweep's
/// total).
pub struct Tally<'a>(pub &'a AtomicU64);

impl Progress for Tally<'_> {
    fn stretch(&self, _trials: u64) -> &AtomicU64 {
        self.0
    }
}
