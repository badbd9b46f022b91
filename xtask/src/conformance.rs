//! `cargo xtask conformance`: runs the NumPy-generated corpus in `corpus/` against an
//! implementation of the runner contract (`corpus/README.md`) and prints the scoreboard.
//!
//! * By default the implementation is this project's `npy` tool: it is built
//!   (`cargo build -p npy-cli`, debug profile), run on every case, and checked against
//!   `conformance/expected-failures.txt`; the command fails on any failure or unsupported
//!   outcome that the list does not name, and on any listed case that passes now. Then the NumPy
//!   oracle tests run (`cargo test -p npy-conformance --test numpy_oracle`) unless `--no-oracle`.
//! * `--runner "CMD ARGS"` scores any other command (split on whitespace). No expected-failures
//!   list applies and no oracle runs: the result is a score, and the exit status is 0 unless the
//!   corpus checkout is damaged or the command cannot be started.
//! * `--adapter NAME` builds the standalone crate `conformance/adapters/NAME` in release mode
//!   (into `target/adapters/`) and scores its binary like `--runner`: the crate's only binary,
//!   or, if it has several, the one named after the package or the folder.
//!
//! A damaged corpus (a case file whose sha256 differs from the manifest, a missing value
//! document) always fails the command: the scores would not describe the implementation.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use npy_conformance::{
    render_judgement, render_markdown, render_text, Corpus, Error, ExpectedFailures, FailureKind,
    Filter, Runner, TextOptions,
};

use crate::repo_root;

const USAGE: &str = "usage: cargo xtask conformance [--runner CMD | --adapter NAME] [--corpus DIR]
                                [--jobs N] [--timeout SECS] [--filter TEXT]... [--verbose]
                                [--json FILE] [--markdown] [--no-oracle]

Runs corpus/ against this project's `npy` (built first), checks the result against
conformance/expected-failures.txt, then runs the NumPy oracle tests.

--runner CMD     score another implementation instead: CMD is split on whitespace and called
                 as `CMD decode FILE`, `CMD validate FILE`, `CMD encode JSON OUT`; no
                 expected-failures list, no oracle tests, exit 0 unless the corpus is damaged
--adapter NAME   build conformance/adapters/NAME (release) and score its binary like --runner
--corpus DIR     the corpus folder (default: corpus/ in the repository)
--jobs N         invocations at once (default: the number of cores)
--timeout SECS   time limit per invocation (default 10, as the contract says)
--filter TEXT    only cases whose id contains TEXT (repeatable: any of them)
--verbose        list every failure with the implementation's stderr, and every unsupported case
--json FILE      also write the full report as JSON to FILE
--markdown       also print a Markdown table row for corpus/README.md's scores
--no-oracle      skip the NumPy oracle tests (default run only)";

/// Which implementation to score.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// This project's `npy`, with the expected-failures list and the oracle tests.
    Own,
    /// Any command.
    Runner(Vec<String>),
    /// A crate in `conformance/adapters/`.
    Adapter(String),
}

#[derive(Debug)]
struct Options {
    target: Target,
    corpus: Option<PathBuf>,
    jobs: Option<usize>,
    timeout: Option<Duration>,
    filters: Vec<String>,
    verbose: bool,
    json: Option<PathBuf>,
    markdown: bool,
    oracle: bool,
}

/// Entry point of the `conformance` command.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some(options) = parse_args(args)? else {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let root = repo_root();
    let corpus_dir = options
        .corpus
        .clone()
        .unwrap_or_else(|| root.join("corpus"));
    let corpus = Corpus::load(&corpus_dir).map_err(|e| match e {
        Error::Io { ref source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            format!("{e} (generate the corpus with `cargo xtask corpus`)")
        }
        e => e.to_string(),
    })?;

    // Read before the run, so a mistake in the list shows at once rather than after it.
    let expected_failures = if options.target == Target::Own {
        let path = root.join("conformance/expected-failures.txt");
        Some(ExpectedFailures::load(&path).map_err(|e| e.to_string())?)
    } else {
        None
    };

    let (command, name) = match &options.target {
        Target::Own => {
            let npy = build_npy(&root)?;
            (
                vec![npy.to_string_lossy().into_owned()],
                format!("`npy` {} (this project)", env!("CARGO_PKG_VERSION")),
            )
        }
        Target::Runner(command) => (command.clone(), format!("`{}`", command.join(" "))),
        Target::Adapter(adapter) => {
            let binary = build_adapter(&root, adapter)?;
            (
                vec![binary.to_string_lossy().into_owned()],
                format!("{adapter} (conformance/adapters/{adapter})"),
            )
        }
    };

    let mut runner = Runner::new(command);
    if let Some(jobs) = options.jobs {
        runner.jobs = jobs;
    }
    if let Some(timeout) = options.timeout {
        runner.timeout = timeout;
    }
    let filter = Filter {
        patterns: options.filters.clone(),
        modes: Vec::new(),
    };
    let report = npy_conformance::run(&corpus, &runner, &filter).map_err(|e| e.to_string())?;

    // A command that cannot be started at all would otherwise score 0 and exit 0.
    let mut outcomes = report
        .cases
        .iter()
        .flat_map(|case| case.results.iter().map(|r| &r.outcome))
        .peekable();
    let never_started = outcomes.peek().is_some()
        && outcomes.all(|o| {
            o.failure()
                .is_some_and(|f| f.kind == FailureKind::SpawnError)
        });
    if never_started {
        let (_, _, first) = report
            .failures()
            .next()
            .expect("every outcome is a failure");
        return Err(format!("`{}`: {}", runner.command.join(" "), first.message));
    }

    let text_options = TextOptions {
        verbose: options.verbose,
        ..TextOptions::default()
    };
    print!("{}", render_text(&report, &text_options));

    let judgement = if let Some(list) = &expected_failures {
        let judgement = list.judge(&corpus, &report);
        println!();
        print!(
            "{}",
            render_judgement(
                &judgement,
                "conformance/expected-failures.txt",
                &text_options
            )
        );
        Some(judgement)
    } else {
        None
    };

    if let Some(path) = &options.json {
        fs::write(path, report.to_json_pretty(judgement.as_ref()))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        println!("\nreport written to {}", path.display());
    }
    if options.markdown {
        println!("\n{}", render_markdown(&report, &name).trim_end());
    }

    let mut ok = true;
    if report.corpus_damaged() {
        println!(
            "\nthe corpus checkout is damaged: restore corpus/ (git) before trusting any score"
        );
        ok = false;
    }
    if let Some(judgement) = &judgement {
        ok &= judgement.is_clean();
    }
    if options.target == Target::Own && options.oracle {
        ok &= run_oracle(&root)?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `Ok(None)` for `--help`.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        target: Target::Own,
        corpus: None,
        jobs: None,
        timeout: None,
        filters: Vec::new(),
        verbose: false,
        json: None,
        markdown: false,
        oracle: true,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--runner" | "--adapter" if options.target != Target::Own => {
                return Err("--runner and --adapter name one implementation: give one".into())
            }
            "--runner" => {
                let command: Vec<String> = value("--runner")?
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect();
                if command.is_empty() {
                    return Err("--runner needs a command".into());
                }
                options.target = Target::Runner(command);
            }
            "--adapter" => options.target = Target::Adapter(value("--adapter")?),
            "--corpus" => options.corpus = Some(PathBuf::from(value("--corpus")?)),
            "--jobs" => {
                let text = value("--jobs")?;
                match text.parse::<usize>() {
                    Ok(n) if n > 0 => options.jobs = Some(n),
                    _ => return Err(format!("--jobs wants a positive integer, got `{text}`")),
                }
            }
            "--timeout" => {
                let text = value("--timeout")?;
                match text.parse::<f64>() {
                    Ok(s) if s > 0.0 && s.is_finite() => {
                        options.timeout = Some(Duration::from_secs_f64(s))
                    }
                    _ => return Err(format!("--timeout wants seconds > 0, got `{text}`")),
                }
            }
            "--filter" => options.filters.push(value("--filter")?),
            "--verbose" | "-v" => options.verbose = true,
            "--json" => options.json = Some(PathBuf::from(value("--json")?)),
            "--markdown" => options.markdown = true,
            "--no-oracle" => options.oracle = false,
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(Some(options))
}

/// Builds `npy` (debug profile) and returns its path, as cargo reports it.
fn build_npy(root: &Path) -> Result<PathBuf, String> {
    println!("== building npy (cargo build -p npy-cli)");
    let mut command = Command::new(cargo());
    command.current_dir(root).args(["build", "-p", "npy-cli"]);
    let executables = build(command)?;
    executables
        .into_iter()
        .find(|artifact| artifact.target == "npy")
        .map(|artifact| artifact.executable)
        .ok_or_else(|| "cargo built npy-cli but reported no `npy` binary".into())
}

/// Builds `conformance/adapters/NAME` in release mode and returns its binary's path.
fn build_adapter(root: &Path, name: &str) -> Result<PathBuf, String> {
    let adapters = root.join("conformance/adapters");
    let manifest = adapters.join(name).join("Cargo.toml");
    if name.contains(['/', '\\']) || !manifest.is_file() {
        let known: Vec<String> = fs::read_dir(&adapters)
            .map(|dir| {
                dir.flatten()
                    .filter(|e| e.path().join("Cargo.toml").is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        return Err(format!(
            "no adapter `{name}` (conformance/adapters/{name}/Cargo.toml); adapters: {}",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ));
    }
    println!("== building adapter {name} (cargo build --release --manifest-path conformance/adapters/{name}/Cargo.toml)");
    let mut command = Command::new(cargo());
    // The adapters are standalone crates (excluded from the workspace); building them into
    // the workspace's target folder keeps their output out of the source tree.
    command.current_dir(root).args([
        "build",
        "--release",
        "--manifest-path",
        &manifest.to_string_lossy(),
        "--target-dir",
        &root.join("target/adapters").to_string_lossy(),
    ]);
    let manifest =
        fs::canonicalize(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mine: Vec<Artifact> = build(command)?
        .into_iter()
        .filter(|a| fs::canonicalize(&a.manifest_path).ok().as_ref() == Some(&manifest))
        .collect();
    let names: Vec<&str> = mine.iter().map(|a| a.target.as_str()).collect();
    let chosen = match mine.len() {
        0 => None,
        1 => mine.first(),
        _ => mine
            .iter()
            .find(|a| a.target == a.package || a.target == name),
    };
    chosen.map(|a| a.executable.clone()).ok_or_else(|| {
        format!(
            "cannot tell which binary of adapter `{name}` implements the contract (binaries: {}); \
             name it after the package or the folder",
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        )
    })
}

/// A binary cargo built.
struct Artifact {
    /// The bin target's name.
    target: String,
    /// The package's name.
    package: String,
    /// The package's Cargo.toml.
    manifest_path: PathBuf,
    executable: PathBuf,
}

/// Runs a `cargo build` with JSON messages (diagnostics still rendered on stderr) and returns
/// the executables it produced.
fn build(mut command: Command) -> Result<Vec<Artifact>, String> {
    command
        .arg("--message-format=json-render-diagnostics")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("the build failed ({})", output.status));
    }
    let mut artifacts = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" {
            continue;
        }
        let (Some(executable), Some(target), Some(manifest_path)) = (
            message["executable"].as_str(),
            message["target"]["name"].as_str(),
            message["manifest_path"].as_str(),
        ) else {
            continue;
        };
        let is_bin = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
        if !is_bin {
            continue;
        }
        artifacts.push(Artifact {
            target: target.to_owned(),
            package: package_name(&message["package_id"]),
            manifest_path: PathBuf::from(manifest_path),
            executable: PathBuf::from(executable),
        });
    }
    Ok(artifacts)
}

/// The package name inside a cargo package id: `path+file:///…/npyz#npyz-adapter@0.1.0` or, when
/// the name is the folder's, `path+file:///…/npyz-adapter#0.1.0` (the current spec), or
/// `npyz-adapter 0.1.0 (path+file:///…)` (older cargo).
fn package_name(id: &serde_json::Value) -> String {
    let id = id.as_str().unwrap_or("");
    match id.rsplit_once('#') {
        Some((_, fragment)) if fragment.contains('@') => {
            fragment.split('@').next().unwrap_or("").to_owned()
        }
        Some((url, _)) => url.rsplit('/').next().unwrap_or("").to_owned(),
        None => id.split(' ').next().unwrap_or("").to_owned(),
    }
}

/// Runs the NumPy oracle tests; `Ok(true)` when they pass.
fn run_oracle(root: &Path) -> Result<bool, String> {
    println!("\n== NumPy oracle tests (cargo test -p npy-conformance --test numpy_oracle)");
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["test", "-p", "npy-conformance", "--test", "numpy_oracle"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        println!("NumPy oracle tests failed ({status})");
    }
    Ok(status.success())
}

/// The `cargo` that runs this command (as Cargo sets `CARGO`), else the one on PATH.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_args(&args)
    }

    #[test]
    fn arguments() {
        let options = parse(&[]).unwrap().unwrap();
        assert_eq!(options.target, Target::Own);
        assert!(options.oracle);

        let options = parse(&[
            "--runner",
            "python3  my_runner.py --fast",
            "--jobs",
            "3",
            "--timeout",
            "2.5",
            "--filter",
            "npz",
            "--filter",
            "records",
            "--json",
            "out.json",
            "--markdown",
            "--verbose",
            "--no-oracle",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            options.target,
            Target::Runner(vec![
                "python3".into(),
                "my_runner.py".into(),
                "--fast".into()
            ])
        );
        assert_eq!(options.jobs, Some(3));
        assert_eq!(options.timeout, Some(Duration::from_millis(2500)));
        assert_eq!(options.filters, ["npz", "records"]);
        assert_eq!(options.json, Some(PathBuf::from("out.json")));
        assert!(options.markdown && options.verbose && !options.oracle);

        assert_eq!(
            parse(&["--adapter", "npyz"]).unwrap().unwrap().target,
            Target::Adapter("npyz".into())
        );
        assert!(parse(&["--help"]).unwrap().is_none());
        assert!(parse(&["--runner", "a", "--adapter", "b"]).is_err());
        assert!(parse(&["--runner", "  "]).is_err());
        assert!(parse(&["--jobs", "0"]).is_err());
        assert!(parse(&["--timeout", "-1"]).is_err());
        assert!(parse(&["--json"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }

    #[test]
    fn package_names_from_ids() {
        let id = |s: &str| serde_json::Value::String(s.into());
        assert_eq!(
            package_name(&id(
                "path+file:///w/conformance/adapters/npyz#npyz-adapter@0.1.0"
            )),
            "npyz-adapter"
        );
        assert_eq!(
            package_name(&id(
                "path+file:///w/conformance/adapters/npyz-adapter#0.1.0"
            )),
            "npyz-adapter"
        );
        assert_eq!(
            package_name(&id("npyz-adapter 0.1.0 (path+file:///w/npyz)")),
            "npyz-adapter"
        );
    }
}
