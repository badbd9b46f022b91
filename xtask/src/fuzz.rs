//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs the cargo-fuzz targets in `fuzz/`.
//!
//! Each target runs for N seconds (`-max_total_time=N`, default 60) with `RUSTC_BOOTSTRAP=1`,
//! so the stable toolchain accepts cargo-fuzz's nightly flags. libFuzzer starts from the seeds
//! in `fuzz/corpus/<target>/` and writes what it finds to `fuzz/target/xtask/corpus/<target>/`,
//! so the seed folders stay as committed. A single input running longer than `--timeout`
//! seconds (default 10) counts as a failure (a hang), as do crashes, panics and libFuzzer's
//! out-of-memory reports (an allocation or RSS over 2 GiB). The output of each run goes to
//! `fuzz/target/xtask/logs/<target>.log`; failing inputs land in `fuzz/artifacts/<target>/`.
//!
//! Prints per target the executions run and whether it failed; exits 1 if any target failed.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::repo_root;

const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [--timeout N] [TARGET...]

Runs each cargo-fuzz target in fuzz/ (all when none are named) for N seconds (default 60).
--timeout N   seconds one input may take before it counts as a hang (default 10)";

const INSTALL: &str = "cargo install cargo-fuzz";

struct Options {
    seconds: u64,
    timeout: u64,
    targets: Vec<String>,
}

/// What one target's run found.
struct Outcome {
    target: String,
    runs: Option<u64>,
    seconds: Option<u64>,
    /// Exit status was a failure, or libFuzzer left new artifacts.
    failed: bool,
    status: String,
    artifacts: Vec<PathBuf>,
    log: PathBuf,
}

/// Entry point of the `fuzz` command.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some(options) = parse_args(args)? else {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let root = repo_root();
    let fuzz_dir = root.join("fuzz");
    require_cargo_fuzz()?;
    let known = list_targets(&fuzz_dir)?;
    let targets = if options.targets.is_empty() {
        known
    } else {
        for target in &options.targets {
            if !known.contains(target) {
                return Err(format!(
                    "unknown target `{target}` (targets: {})",
                    known.join(", ")
                ));
            }
        }
        options.targets.clone()
    };

    let mut outcomes = Vec::new();
    for target in &targets {
        println!(
            "== fuzzing {target} for {} s (after building)",
            options.seconds
        );
        let outcome = fuzz_one(&fuzz_dir, target, &options)?;
        print_outcome(&outcome);
        outcomes.push(outcome);
    }

    println!(
        "\n{:<10} {:>14} {:>8}  result",
        "target", "executions", "seconds"
    );
    for outcome in &outcomes {
        let runs = outcome
            .runs
            .map_or_else(|| "?".to_owned(), |n| n.to_string());
        let seconds = outcome
            .seconds
            .map_or_else(|| "?".to_owned(), |n| n.to_string());
        let result = if outcome.failed {
            format!("FAILED ({})", outcome.status)
        } else {
            "ok".to_owned()
        };
        println!("{:<10} {runs:>14} {seconds:>8}  {result}", outcome.target);
    }
    let failed = outcomes.iter().filter(|o| o.failed).count();
    if failed == 0 {
        println!("no crashes");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{failed} target(s) failed; inputs are in fuzz/artifacts/<target>/");
        Ok(ExitCode::FAILURE)
    }
}

/// `None` when help was asked for.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        seconds: 60,
        timeout: 10,
        targets: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--seconds" | "--timeout" => {
                let value = match inline {
                    Some(value) => value,
                    None => args
                        .next()
                        .cloned()
                        .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?,
                };
                let n: u64 = value.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                    format!("{flag} takes a positive whole number, not `{value}`")
                })?;
                if flag == "--seconds" {
                    options.seconds = n;
                } else {
                    options.timeout = n;
                }
            }
            _ if flag.starts_with('-') => return Err(format!("unknown option `{arg}`\n{USAGE}")),
            _ => options.targets.push(arg.clone()),
        }
    }
    Ok(Some(options))
}

/// Fails with the install command when `cargo fuzz` is missing.
fn require_cargo_fuzz() -> Result<(), String> {
    let found = Command::new(cargo())
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        Ok(())
    } else {
        Err(format!(
            "cargo-fuzz is not installed (`cargo fuzz` failed); install it with `{INSTALL}`"
        ))
    }
}

/// The targets `cargo fuzz list` reports.
fn list_targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let output = Command::new(cargo())
        .arg("fuzz")
        .arg("list")
        .arg("--fuzz-dir")
        .arg(fuzz_dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .map_err(|e| format!("cannot run `cargo fuzz list`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo fuzz list` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let targets: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if targets.is_empty() {
        return Err(format!("no fuzz targets in {}", fuzz_dir.display()));
    }
    Ok(targets)
}

fn fuzz_one(fuzz_dir: &Path, target: &str, options: &Options) -> Result<Outcome, String> {
    let work = fuzz_dir.join("target").join("xtask");
    let scratch_corpus = work.join("corpus").join(target);
    let seeds = fuzz_dir.join("corpus").join(target);
    let artifacts_dir = fuzz_dir.join("artifacts").join(target);
    let logs = work.join("logs");
    for dir in [&scratch_corpus, &seeds, &artifacts_dir, &logs] {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let before = files_in(&artifacts_dir);
    let log = logs.join(format!("{target}.log"));
    let log_file =
        File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let log_err = log_file
        .try_clone()
        .map_err(|e| format!("cannot share {}: {e}", log.display()))?;

    let status = Command::new(cargo())
        .arg("fuzz")
        .arg("run")
        .arg("--fuzz-dir")
        .arg(fuzz_dir)
        .arg(target)
        .arg(&scratch_corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={}", options.seconds))
        .arg(format!("-timeout={}", options.timeout))
        .arg(format!("-artifact_prefix={}/", artifacts_dir.display()))
        .env("RUSTC_BOOTSTRAP", "1")
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err)
        .status()
        .map_err(|e| format!("cannot run `cargo fuzz run {target}`: {e}"))?;

    let text = fs::read_to_string(&log).unwrap_or_default();
    let (runs, seconds) = parse_stats(&text);
    let artifacts: Vec<PathBuf> = files_in(&artifacts_dir)
        .difference(&before)
        .cloned()
        .collect();
    // libFuzzer reports slow inputs without failing; everything else it leaves is a failure.
    let failing = artifacts.iter().any(|path| {
        !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("slow-unit-"))
    });
    let failed = !status.success() || failing;
    let status = if failed {
        describe_failure(&text, status.code())
    } else {
        "ok".to_owned()
    };
    Ok(Outcome {
        target: target.to_owned(),
        runs,
        seconds,
        failed,
        status,
        artifacts,
        log,
    })
}

fn print_outcome(outcome: &Outcome) {
    let runs = outcome
        .runs
        .map_or_else(|| "?".to_owned(), |n| n.to_string());
    if outcome.failed {
        println!(
            "{}: FAILED ({}) after {runs} executions; log: {}",
            outcome.target,
            outcome.status,
            outcome.log.display()
        );
    } else {
        println!("{}: {runs} executions, no crash", outcome.target);
    }
    for path in &outcome.artifacts {
        println!("  artifact: {}", path.display());
    }
}

/// Executions and seconds from libFuzzer's `Done N runs in S second(s)` line, or failing that
/// (a crash stops it before that line) the highest `#N` status line.
fn parse_stats(log: &str) -> (Option<u64>, Option<u64>) {
    for line in log.lines().rev() {
        if let Some(rest) = line.trim().strip_prefix("Done ") {
            let mut words = rest.split_whitespace();
            let runs = words.next().and_then(|w| w.parse().ok());
            // "runs in S second(s)"
            let seconds = words.nth(2).and_then(|w| w.parse().ok());
            if runs.is_some() {
                return (runs, seconds);
            }
        }
    }
    let runs = log
        .lines()
        .filter_map(|line| line.strip_prefix('#'))
        .filter_map(|rest| {
            let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
            number.parse::<u64>().ok()
        })
        .max();
    (runs, None)
}

/// The kind of failure, from libFuzzer's `ERROR:` line or a Rust panic message.
fn describe_failure(log: &str, code: Option<i32>) -> String {
    let error = log
        .lines()
        .find(|line| line.contains("ERROR: libFuzzer:"))
        .and_then(|line| line.split("ERROR: libFuzzer:").nth(1))
        .map(|s| s.trim().to_owned());
    let panic = log
        .lines()
        .find(|line| line.contains("panicked at"))
        .map(|line| line.trim().to_owned());
    let mut parts: Vec<String> = Vec::new();
    parts.extend(error);
    parts.extend(panic);
    if parts.is_empty() {
        if log.contains("error: could not compile") || log.contains("error[E") {
            parts.push("build failed".to_owned());
        } else {
            parts.push(match code {
                Some(code) => format!("exit status {code}"),
                None => "killed by a signal".to_owned(),
            });
        }
    }
    parts.join("; ")
}

fn files_in(dir: &Path) -> BTreeSet<PathBuf> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default()
}

/// The `cargo` that runs this command (as Cargo sets `CARGO`), else the one on PATH.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn done_line_gives_runs_and_seconds() {
        let log = "#1024\tpulse  cov: 10\nDone 181631 runs in 11 second(s)\n";
        assert_eq!(parse_stats(log), (Some(181_631), Some(11)));
    }

    #[test]
    fn without_done_line_the_last_status_count_is_used() {
        let log = "#2\tINITED cov: 1\n#4096\tpulse cov: 3\n#5000\tNEW cov: 4\n==1== ERROR: libFuzzer: deadly signal\n";
        assert_eq!(parse_stats(log), (Some(5000), None));
        assert_eq!(parse_stats(""), (None, None));
    }

    #[test]
    fn failure_names_the_libfuzzer_error_and_the_panic() {
        let log =
            "thread '<unnamed>' panicked at src/x.rs:1:2:\n==7== ERROR: libFuzzer: deadly signal\n";
        assert_eq!(
            describe_failure(log, Some(77)),
            "deadly signal; thread '<unnamed>' panicked at src/x.rs:1:2:"
        );
        assert_eq!(describe_failure("", Some(3)), "exit status 3");
    }

    #[test]
    fn arguments() {
        let options = parse_args(&strings(&["--seconds", "5", "header", "npz"]))
            .unwrap()
            .unwrap();
        assert_eq!((options.seconds, options.timeout), (5, 10));
        assert_eq!(options.targets, ["header", "npz"]);
        let options = parse_args(&strings(&["--seconds=7", "--timeout=2"]))
            .unwrap()
            .unwrap();
        assert_eq!((options.seconds, options.timeout), (7, 2));
        assert!(parse_args(&strings(&["--help"])).unwrap().is_none());
        assert!(parse_args(&strings(&["--seconds"])).is_err());
        assert!(parse_args(&strings(&["--seconds", "x"])).is_err());
        assert!(parse_args(&strings(&["--bogus"])).is_err());
    }
}
