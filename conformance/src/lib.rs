//! Runs the conformance corpus in `corpus/` against an implementation of the runner contract
//! described in `corpus/README.md`.
//!
//! An implementation is any command that answers `decode FILE`, `validate FILE` and
//! `encode JSON OUT` with the contract's exit codes (0 ok, 1 invalid or error, 2 unsupported).
//! The runner checks each case file against its sha256, runs every case in every mode that
//! applies to it (in parallel, each invocation with a time limit), scores the answers, and
//! reports per case, per topic and overall. An expected-failures list turns the scores into a
//! pass/fail verdict for an implementation that is allowed a few documented divergences.
//!
//! ```no_run
//! use std::time::Duration;
//! use npy_conformance::{render_text, run, Corpus, ExpectedFailures, Filter, Runner, TextOptions};
//!
//! let corpus = Corpus::load("corpus")?;
//! let mut runner = Runner::new(vec!["target/debug/npy".into()]);
//! runner.timeout = Duration::from_secs(10);
//! let report = run(&corpus, &runner, &Filter::all())?;
//! print!("{}", render_text(&report, &TextOptions::default()));
//!
//! let list = ExpectedFailures::load("conformance/expected-failures.txt")?;
//! let judgement = list.judge(&corpus, &report);
//! if !judgement.is_clean() || report.corpus_damaged() {
//!     std::process::exit(1);
//! }
//! # Ok::<(), npy_conformance::Error>(())
//! ```
//!
//! `cargo xtask conformance` is the command-line front end.

mod error;
pub mod exec;
mod expected;
pub mod json_diff;
mod judge;
mod manifest;
mod mode;
mod report;
mod runner;
pub mod scoreboard;
pub mod sha256;

pub use error::Error;
pub use expected::{ExpectedFailure, ExpectedFailures, Judgement, Stale, Unexpected};
pub use json_diff::{documents_equal, first_difference, Difference};
pub use manifest::{Case, Corpus, Format, Manifest, Verdict};
pub use mode::Mode;
pub use report::{CaseReport, Failure, FailureKind, ModeResult, Outcome, Report, Tally, Totals};
pub use runner::{run, Filter, Runner};
pub use scoreboard::{render_judgement, render_markdown, render_text, TextOptions};
