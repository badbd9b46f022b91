//! Known divergences: cases where an implementation deliberately differs from NumPy.
//!
//! The list is a text file, one entry per line:
//!
//! ```text
//! # comments and blank lines are ignored
//! valid/scalars/f16-little  decode           # why this implementation differs
//! invalid/header/odd-key    decode,validate  # one reason may cover several modes
//! ```
//!
//! Every entry needs a reason after `#`. Checking a report against the list ([`Judgement`])
//! flags unexpected failures (a failure or an unsupported outcome that is not listed) and
//! unexpected passes (a listed case that now passes), so the list has to be kept honest both
//! ways, and entries that name a case or mode the corpus does not have.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
use crate::manifest::Corpus;
use crate::mode::Mode;
use crate::report::{Outcome, Report};

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectedFailure {
    /// The manifest id.
    pub case: String,
    /// The mode that is expected not to pass.
    pub mode: Mode,
    /// Why: the text after `#`.
    pub reason: String,
    /// 1-based line in the list.
    pub line: usize,
}

/// A parsed expected-failures list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpectedFailures {
    entries: Vec<ExpectedFailure>,
}

impl ExpectedFailures {
    /// An empty list: every failure is unexpected.
    pub fn empty() -> ExpectedFailures {
        ExpectedFailures::default()
    }

    /// Reads and parses the list at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<ExpectedFailures, Error> {
        let path = path.as_ref();
        let text = fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        ExpectedFailures::parse(&text, path)
    }

    /// Parses the list's text; `source` names it in error messages.
    pub fn parse(text: &str, source: impl AsRef<Path>) -> Result<ExpectedFailures, Error> {
        let error = |line: usize, message: String| Error::ExpectedFailures {
            path: PathBuf::from(source.as_ref()),
            line,
            message,
        };
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        for (number, line) in text.lines().enumerate() {
            let number = number + 1;
            let (fields, reason) = match line.split_once('#') {
                Some((fields, reason)) => (fields, Some(reason.trim())),
                None => (line, None),
            };
            let fields: Vec<&str> = fields.split_whitespace().collect();
            if fields.is_empty() {
                continue; // blank or comment-only line
            }
            let [case, modes] = fields[..] else {
                return Err(error(
                    number,
                    "expected `CASE-ID MODE[,MODE...]  # reason`".into(),
                ));
            };
            let reason = match reason {
                Some(reason) if !reason.is_empty() => reason,
                _ => return Err(error(number, format!("`{case}` needs a reason after `#`"))),
            };
            for mode in modes.split(',') {
                let mode: Mode = mode.parse().map_err(|e| error(number, e))?;
                if !seen.insert((case.to_owned(), mode)) {
                    return Err(error(number, format!("`{case} {mode}` is listed twice")));
                }
                entries.push(ExpectedFailure {
                    case: case.to_owned(),
                    mode,
                    reason: reason.to_owned(),
                    line: number,
                });
            }
        }
        Ok(ExpectedFailures { entries })
    }

    /// The entries, in file order.
    pub fn entries(&self) -> &[ExpectedFailure] {
        &self.entries
    }

    /// Checks `report` (a run of `corpus`) against the list.
    ///
    /// Entries for cases the report did not run (filtered out, or damaged) are neither
    /// confirmed nor contradicted; entries for cases or modes that `corpus` does not have at all
    /// are [`Judgement::stale`].
    pub fn judge(&self, corpus: &Corpus, report: &Report) -> Judgement {
        let listed: HashMap<(&str, Mode), &ExpectedFailure> = self
            .entries
            .iter()
            .map(|e| ((e.case.as_str(), e.mode), e))
            .collect();
        let mut judgement = Judgement::default();
        for entry in &self.entries {
            let problem = match corpus.case(&entry.case) {
                None => Some("no such case in the corpus"),
                Some(case) if !case.modes().contains(&entry.mode) => {
                    Some("this mode is not scored for the case")
                }
                Some(_) => None,
            };
            if let Some(problem) = problem {
                judgement.stale.push(Stale {
                    entry: entry.clone(),
                    problem: problem.to_owned(),
                });
            }
        }
        for case in &report.cases {
            for result in &case.results {
                let entry = listed.get(&(case.id.as_str(), result.mode));
                match (&result.outcome, entry) {
                    (Outcome::Pass, None) => {}
                    (Outcome::Pass, Some(entry)) => {
                        judgement.unexpected_passes.push((*entry).clone())
                    }
                    (_, Some(entry)) => judgement.expected.push((*entry).clone()),
                    (outcome, None) => judgement.unexpected_failures.push(Unexpected {
                        case: case.id.clone(),
                        mode: result.mode,
                        outcome: outcome.clone(),
                    }),
                }
            }
        }
        judgement
    }
}

/// A failure or unsupported outcome that the list does not name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unexpected {
    /// The manifest id.
    pub case: String,
    /// The mode.
    pub mode: Mode,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// An entry that refers to nothing in the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stale {
    /// The entry.
    pub entry: ExpectedFailure,
    /// What is wrong with it.
    pub problem: String,
}

/// A report checked against an expected-failures list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Judgement {
    /// Listed, and still not passing: fine.
    pub expected: Vec<ExpectedFailure>,
    /// Failed or unsupported without being listed.
    pub unexpected_failures: Vec<Unexpected>,
    /// Listed, but passing now: the entry should go.
    pub unexpected_passes: Vec<ExpectedFailure>,
    /// Listed, but the corpus has no such case or does not score that mode for it.
    pub stale: Vec<Stale>,
}

impl Judgement {
    /// Whether the report agrees with the list exactly.
    pub fn is_clean(&self) -> bool {
        self.unexpected_failures.is_empty()
            && self.unexpected_passes.is_empty()
            && self.stale.is_empty()
    }
}
