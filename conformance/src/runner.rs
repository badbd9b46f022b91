//! Runs the selected cases of a corpus against one implementation, in parallel.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use serde_json::Value;

use crate::error::Error;
use crate::exec::{execute, Limits};
use crate::judge;
use crate::manifest::{Case, Corpus};
use crate::mode::Mode;
use crate::report::{CaseReport, ModeResult, Report};
use crate::sha256::sha256_hex;

/// How to run the implementation under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runner {
    /// Program and leading arguments; the runner appends `decode FILE`, `validate FILE` or
    /// `encode JSON OUT`.
    pub command: Vec<String>,
    /// Time limit per invocation (the contract says 10 seconds).
    pub timeout: Duration,
    /// Invocations run at the same time.
    pub jobs: usize,
    /// Bytes of stdout kept per invocation; a `decode` that prints more fails.
    pub stdout_limit: usize,
    /// Bytes of stderr kept per invocation; the rest is dropped.
    pub stderr_limit: usize,
}

impl Runner {
    /// A runner for `command` with the contract's 10-second limit and one job per core.
    pub fn new(command: Vec<String>) -> Runner {
        let limits = Limits::default();
        Runner {
            command,
            timeout: limits.timeout,
            jobs: thread::available_parallelism().map_or(1, |n| n.get()),
            stdout_limit: limits.stdout_limit,
            stderr_limit: limits.stderr_limit,
        }
    }

    fn limits(&self) -> Limits {
        Limits {
            timeout: self.timeout,
            stdout_limit: self.stdout_limit,
            stderr_limit: self.stderr_limit,
        }
    }
}

/// Which cases and modes to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Run a case when its id contains any of these; every case when empty.
    pub patterns: Vec<String>,
    /// Run only these modes; all when empty.
    pub modes: Vec<Mode>,
}

impl Filter {
    /// Every case, every mode.
    pub fn all() -> Filter {
        Filter::default()
    }

    /// The cases whose id contains `pattern`, every mode.
    pub fn matching(pattern: impl Into<String>) -> Filter {
        Filter {
            patterns: vec![pattern.into()],
            modes: Vec::new(),
        }
    }

    /// Whether the case is selected.
    pub fn selects(&self, case: &Case) -> bool {
        self.patterns.is_empty() || self.patterns.iter().any(|p| case.id.contains(p.as_str()))
    }

    /// Whether the mode is selected.
    pub fn selects_mode(&self, mode: Mode) -> bool {
        self.modes.is_empty() || self.modes.contains(&mode)
    }
}

/// A case whose files checked out: what the scoring needs from them.
struct Prepared {
    expected: Option<Value>,
    /// The case file, kept for `encode`'s byte comparison.
    bytes: Vec<u8>,
}

/// One invocation to make.
struct Job {
    case: usize,
    mode: Mode,
}

/// Runs every selected case and mode of `corpus` against `runner.command`.
///
/// Each case file's sha256 is checked first; a case whose file or value document is missing,
/// unreadable or altered is reported as damaged ([`CaseReport::damage`]) and not run. `Err` only
/// when the run cannot start (empty command, no temporary folder for `encode`).
pub fn run(corpus: &Corpus, runner: &Runner, filter: &Filter) -> Result<Report, Error> {
    if runner.command.is_empty() {
        return Err(Error::EmptyCommand);
    }
    let selected: Vec<&Case> = corpus
        .cases()
        .iter()
        .filter(|c| filter.selects(c))
        .collect();
    let prepared: Vec<Result<Prepared, String>> =
        selected.iter().map(|case| prepare(corpus, case)).collect();

    let jobs: Vec<Job> = selected
        .iter()
        .zip(&prepared)
        .enumerate()
        .filter(|(_, (_, prepared))| prepared.is_ok())
        .flat_map(|(index, (case, _))| {
            case.modes()
                .iter()
                .filter(|mode| filter.selects_mode(**mode))
                .map(move |&mode| Job { case: index, mode })
        })
        .collect();

    let scratch = tempfile::Builder::new()
        .prefix("npy-conformance-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let context = Context {
        corpus,
        runner,
        limits: runner.limits(),
        scratch: scratch.path(),
        cases: &selected,
        prepared: &prepared,
    };

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<ModeResult>>> = Mutex::new(vec![None; jobs.len()]);
    let workers = runner.jobs.clamp(1, jobs.len().max(1));
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(index) else { break };
                let result = context.execute(index, job);
                results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());

    let mut cases: Vec<CaseReport> = selected
        .iter()
        .zip(&prepared)
        .map(|(case, prepared)| CaseReport {
            id: case.id.clone(),
            topic: case.topic().to_owned(),
            verdict: case.verdict,
            format: case.format,
            damage: prepared.as_ref().err().cloned(),
            results: Vec::new(),
        })
        .collect();
    // Jobs were made case by case in mode order, so pushing in job order keeps that order.
    for (job, result) in jobs.iter().zip(results.iter_mut()) {
        if let Some(result) = result.take() {
            cases[job.case].results.push(result);
        }
    }

    Ok(Report {
        command: runner.command.clone(),
        corpus: corpus.root().to_path_buf(),
        corpus_version: corpus.manifest().corpus_version,
        numpy_version: corpus.manifest().numpy_version.clone(),
        timeout: runner.timeout,
        cases,
    })
}

/// Reads a case's file and value document and checks the file against its sha256; `Err` says
/// how the corpus copy is damaged.
fn prepare(corpus: &Corpus, case: &Case) -> Result<Prepared, String> {
    let path = corpus.file_path(case);
    let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", case.file))?;
    let actual = sha256_hex(&bytes);
    if !actual.eq_ignore_ascii_case(case.sha256.trim()) {
        return Err(format!(
            "{} has sha256 {actual}, the manifest says {}",
            case.file, case.sha256
        ));
    }
    let expected = match (corpus.expected_path(case), &case.expected) {
        (Some(path), Some(name)) => {
            let text = fs::read(&path).map_err(|e| format!("cannot read {name}: {e}"))?;
            let value = crate::json_diff::parse_document(&text)
                .map_err(|e| format!("{name} is not valid JSON: {e}"))?;
            Some(value)
        }
        _ => None,
    };
    Ok(Prepared { expected, bytes })
}

/// What every worker shares.
struct Context<'a> {
    corpus: &'a Corpus,
    runner: &'a Runner,
    limits: Limits,
    scratch: &'a Path,
    cases: &'a [&'a Case],
    prepared: &'a [Result<Prepared, String>],
}

impl Context<'_> {
    fn execute(&self, index: usize, job: &Job) -> ModeResult {
        let case = self.cases[job.case];
        let Ok(prepared) = &self.prepared[job.case] else {
            unreachable!("jobs are only made for prepared cases")
        };
        let file = self.corpus.file_path(case);
        let (args, out): (Vec<PathBuf>, Option<PathBuf>) = match job.mode {
            Mode::Decode => (vec!["decode".into(), file], None),
            Mode::Validate => (vec!["validate".into(), file], None),
            Mode::Encode => {
                let json = self
                    .corpus
                    .expected_path(case)
                    .expect("encoded cases are valid, so they have a value document");
                // Unique per job, and named like the case file in case the implementation
                // cares about the extension (np.save appends `.npy` to other names).
                let name = Path::new(&case.file)
                    .file_name()
                    .map_or_else(|| "out.npy".into(), |n| n.to_os_string());
                let mut out_name = std::ffi::OsString::from(format!("{index}-"));
                out_name.push(name);
                let out = self.scratch.join(out_name);
                (vec!["encode".into(), json, out.clone()], Some(out))
            }
        };
        let mut full_args: Vec<std::ffi::OsString> =
            self.runner.command[1..].iter().map(Into::into).collect();
        full_args.extend(args.into_iter().map(PathBuf::into_os_string));

        let (outcome, millis) = match execute(&self.runner.command[0], &full_args, &self.limits) {
            Err(e) => (judge::spawn_error(&e), 0),
            Ok(run) => {
                let outcome = match job.mode {
                    Mode::Decode => judge::decode(case.verdict, prepared.expected.as_ref(), &run),
                    Mode::Validate => judge::validate(case.verdict, &run),
                    Mode::Encode => {
                        let out = out.expect("encode has an output path");
                        let written = fs::read(&out);
                        // Outputs are not needed after scoring; drop them so a large corpus
                        // does not fill the temporary folder.
                        let _ = fs::remove_file(&out);
                        judge::encode(&run, written, &prepared.bytes)
                    }
                };
                (outcome, run.elapsed.as_millis() as u64)
            }
        };
        ModeResult {
            mode: job.mode,
            outcome,
            millis,
        }
    }
}
