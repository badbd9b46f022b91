//! What a run found: one outcome per case and mode, with totals per topic and overall.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::expected::Judgement;
use crate::manifest::{Format, Verdict};
use crate::mode::Mode;

/// Which rule of the contract an implementation broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Exited with a code other than the one the case calls for (or other than 0, 1, 2).
    WrongExit,
    /// Still running when the time limit ran out; killed.
    Timeout,
    /// Ended by a signal (a crash, an abort, an out-of-memory kill).
    Signal,
    /// Could not be started at all.
    SpawnError,
    /// `decode` exited 0 but stdout is not one JSON document.
    NotJson,
    /// `decode` printed a document that differs from the expected one.
    Mismatch,
    /// `encode` wrote bytes that differ from the case file.
    BytesDiffer,
    /// `encode` exited 0 but did not write its output file.
    NoOutputFile,
    /// Wrote more to stdout than the runner keeps.
    OutputTooLarge,
    /// A process it started kept stdout or stderr open after the process group ended.
    StreamLeftOpen,
    /// The runner itself could not prepare or read something for this invocation.
    RunnerIo,
}

/// A failed invocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Which rule was broken.
    pub kind: FailureKind,
    /// One line for a person: `exit 1 (expected 0)`, `values[2]: expected "…", got "…"`.
    pub message: String,
    /// The start of what the implementation wrote to stderr (shown, never compared).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stderr: String,
}

/// The score of one case in one mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Outcome {
    /// Did what the contract asks.
    Pass,
    /// Did something else.
    Fail(Failure),
    /// Exited 2: the implementation says it does not support this case.
    Unsupported {
        /// The first line of its stderr, if any.
        #[serde(skip_serializing_if = "String::is_empty")]
        reason: String,
    },
}

impl Outcome {
    /// Whether this is [`Outcome::Pass`].
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Pass)
    }

    /// The failure, for [`Outcome::Fail`].
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Outcome::Fail(failure) => Some(failure),
            _ => None,
        }
    }
}

/// The outcome of one mode of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModeResult {
    /// The mode.
    pub mode: Mode,
    /// The score.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Wall-clock time of the invocation, in milliseconds.
    pub millis: u64,
}

/// Everything found about one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseReport {
    /// The manifest id.
    pub id: String,
    /// The folder under `valid/` or `invalid/`.
    pub topic: String,
    /// NumPy's verdict.
    pub verdict: Verdict,
    /// `npy` or `npz`.
    pub format: Format,
    /// Set when the corpus copy of this case is damaged (sha256 mismatch, missing or unreadable
    /// file or value document); the case is then not run and `results` is empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damage: Option<String>,
    /// One entry per applicable mode, in [`Mode::ALL`] order.
    pub results: Vec<ModeResult>,
}

impl CaseReport {
    /// The outcome for `mode`, when that mode was run.
    pub fn outcome(&self, mode: Mode) -> Option<&Outcome> {
        self.results
            .iter()
            .find(|r| r.mode == mode)
            .map(|r| &r.outcome)
    }
}

/// Counts for one mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Reported unsupported (exit 2).
    pub unsupported: usize,
}

impl Tally {
    /// Cases scored in this mode.
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.unsupported
    }

    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Fail(_) => self.fail += 1,
            Outcome::Unsupported { .. } => self.unsupported += 1,
        }
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("pass", &self.pass)?;
        map.serialize_entry("fail", &self.fail)?;
        map.serialize_entry("unsupported", &self.unsupported)?;
        map.serialize_entry("total", &self.total())?;
        map.end()
    }
}

/// Counts for a set of cases (a topic, or the whole run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Cases in the set, damaged ones included.
    pub cases: usize,
    /// Cases not run because their corpus copy is damaged.
    pub damaged: usize,
    modes: [Tally; 3],
}

impl Totals {
    /// The counts for one mode.
    pub fn mode(&self, mode: Mode) -> Tally {
        self.modes[mode.index()]
    }

    /// Failures over all modes.
    pub fn failures(&self) -> usize {
        self.modes.iter().map(|t| t.fail).sum()
    }

    /// Unsupported outcomes over all modes.
    pub fn unsupported(&self) -> usize {
        self.modes.iter().map(|t| t.unsupported).sum()
    }

    fn add(&mut self, case: &CaseReport) {
        self.cases += 1;
        if case.damage.is_some() {
            self.damaged += 1;
        }
        for result in &case.results {
            self.modes[result.mode.index()].add(&result.outcome);
        }
    }
}

impl Serialize for Totals {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("cases", &self.cases)?;
        map.serialize_entry("damaged", &self.damaged)?;
        for mode in Mode::ALL {
            map.serialize_entry(mode.name(), &self.mode(mode))?;
        }
        map.end()
    }
}

/// The result of [`run`](crate::run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The implementation's command (program and leading arguments).
    pub command: Vec<String>,
    /// The corpus folder.
    pub corpus: PathBuf,
    /// `corpus_version` from the manifest.
    pub corpus_version: u32,
    /// The NumPy version that judged the corpus.
    pub numpy_version: String,
    /// The time limit per invocation.
    pub timeout: Duration,
    /// The selected cases, in manifest order.
    pub cases: Vec<CaseReport>,
}

impl Report {
    /// Totals over all cases.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for case in &self.cases {
            totals.add(case);
        }
        totals
    }

    /// Totals per topic, topics in alphabetical order.
    pub fn topics(&self) -> BTreeMap<String, Totals> {
        let mut topics: BTreeMap<String, Totals> = BTreeMap::new();
        for case in &self.cases {
            topics.entry(case.topic.clone()).or_default().add(case);
        }
        topics
    }

    /// Every failed invocation, in case order.
    pub fn failures(&self) -> impl Iterator<Item = (&CaseReport, Mode, &Failure)> {
        self.cases.iter().flat_map(|case| {
            case.results
                .iter()
                .filter_map(move |r| r.outcome.failure().map(|f| (case, r.mode, f)))
        })
    }

    /// Every unsupported invocation, in case order, with the implementation's reason.
    pub fn unsupported(&self) -> impl Iterator<Item = (&CaseReport, Mode, &str)> {
        self.cases.iter().flat_map(|case| {
            case.results.iter().filter_map(move |r| match &r.outcome {
                Outcome::Unsupported { reason } => Some((case, r.mode, reason.as_str())),
                _ => None,
            })
        })
    }

    /// Cases whose corpus copy is damaged.
    pub fn damaged(&self) -> impl Iterator<Item = &CaseReport> {
        self.cases.iter().filter(|case| case.damage.is_some())
    }

    /// Whether any case is damaged: the scores then do not describe the implementation alone.
    pub fn corpus_damaged(&self) -> bool {
        self.damaged().next().is_some()
    }

    /// The report as one JSON document: command, corpus, totals, per-topic totals, the
    /// verdict of an expected-failures list when given, and every case's outcomes.
    pub fn to_json(&self, judgement: Option<&Judgement>) -> serde_json::Value {
        serde_json::to_value(self.document(judgement)).expect("a report always serializes")
    }

    /// [`Report::to_json`] as indented text, fields in a fixed, readable order.
    pub fn to_json_pretty(&self, judgement: Option<&Judgement>) -> String {
        let mut text = serde_json::to_string_pretty(&self.document(judgement))
            .expect("a report always serializes");
        text.push('\n');
        text
    }

    fn document<'a>(&'a self, judgement: Option<&'a Judgement>) -> JsonDocument<'a> {
        JsonDocument {
            command: &self.command,
            corpus: &self.corpus,
            corpus_version: self.corpus_version,
            numpy_version: &self.numpy_version,
            timeout_seconds: self.timeout.as_secs_f64(),
            totals: self.totals(),
            topics: self.topics(),
            expected_failures: judgement,
            cases: &self.cases,
        }
    }
}

/// The layout of the JSON report.
#[derive(Serialize)]
struct JsonDocument<'a> {
    command: &'a [String],
    corpus: &'a PathBuf,
    corpus_version: u32,
    numpy_version: &'a str,
    timeout_seconds: f64,
    totals: Totals,
    topics: BTreeMap<String, Totals>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected_failures: Option<&'a Judgement>,
    cases: &'a [CaseReport],
}
