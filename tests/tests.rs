//! The single integration-test binary (one link step).

// Shared helpers: temp dirs, running the binary, scenario strings.
mod util;

// docs/MODEL.md worked examples: interpolation, timing, adoption, censoring, discounting.
mod model;
// Sample moments and quantiles of every distribution against statrs.
mod distributions;
// Same seed → identical results at any thread count; streaming = exact.
mod reproducibility;
// The command line: every subcommand, output files, and the bad-scenario folder.
mod cli;
// compare and sweep: paired comparisons, sweeps, break-evens, cost of delay.
mod decide;
// The HTML report: self-contained, every section, and in headless Chromium.
mod report;
// Property tests and fuzzing of the parser and expressions (bounded case counts).
mod properties;
// Tornado, rank correlation, Sobol indices (Ishigami), value of information.
mod sensitivity;
// Correlations, Latin hypercube, Sobol points and precision control.
mod sampling;
// Regression tests for wrong numbers found off the main path.
mod trust;
// Output files: checks before writing, one run per directory, inputs kept, signals.
mod outputs;
// Differential oracle: random scenarios against a plain re-implementation of the model contract.
mod oracle;
// Hostile and extreme inputs: endless files, huge shapes, overflow, file access.
mod inputs;
// init templates and --list, shell completions, the man page.
mod usability;
// Terminal tables: one number format, display-width alignment, no misleading rounding.
mod tables;
// Chart layout: labels apart from each other and from lines they are not about.
mod charts;
// The README's quick-start output and docs/payback.png are what the build writes.
mod docs;
// payback fit: recovery of each family, p-values, the CLI and bad data.
mod fit;
// Inputs written as ranges: "5 to 30", p10/p90, p10/mode/p90.
mod ranges;
// The repository stands alone: no path or Markdown link that leads outside it.
mod standalone;
// Sharded runs: parts merged equal one run; merge refuses parts of other runs.
mod shard;
// --xlsx workbooks read back with calamine: sheets, key figures, formats, chart ranges.
mod workbook;
// The module graph has no cycles; the engine reads only the compiled model.
mod layers;
