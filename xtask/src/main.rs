//! `cargo xtask <command>`: repository chores that need more than one `cargo` invocation.
//!
//! Each command lives in its own module with a `run(args) -> Result<ExitCode, String>` entry;
//! add a new one to [`COMMANDS`] and to the `match` in [`dispatch`].

mod conformance;
mod corpus;
mod fuzz;

use std::path::PathBuf;
use std::process::ExitCode;

/// The commands, with one line of help each.
const COMMANDS: &[(&str, &str)] = &[
    (
        "corpus",
        "[--check] [--python PATH]  regenerate corpus/ with a pinned NumPy (--check: fail if it differs)",
    ),
    (
        "conformance",
        "[--runner CMD | --adapter NAME] [--corpus DIR] [--jobs N] [--timeout SECS] [--filter TEXT]... \
         [--verbose] [--json FILE] [--markdown] [--no-oracle]  run corpus/ against the npy tool (or CMD, \
         or conformance/adapters/NAME), then the NumPy oracle tests",
    ),
    (
        "fuzz",
        "[--seconds N] [TARGET...]  run the cargo-fuzz targets in fuzz/ (all by default) for N seconds each (default 60)",
    ),
];

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(command) = args.next() else {
        print_usage();
        return ExitCode::from(2);
    };
    let rest: Vec<String> = args.collect();
    match dispatch(&command, &rest) {
        Some(Ok(code)) => code,
        Some(Err(message)) => {
            eprintln!("xtask {command}: {message}");
            ExitCode::FAILURE
        }
        None => {
            eprintln!("xtask: unknown command `{command}`");
            print_usage();
            ExitCode::from(2)
        }
    }
}

/// Runs `command`; `None` when there is no such command.
fn dispatch(command: &str, args: &[String]) -> Option<Result<ExitCode, String>> {
    match command {
        "corpus" => Some(corpus::run(args)),
        "conformance" => Some(conformance::run(args)),
        "fuzz" => Some(fuzz::run(args)),
        "help" | "-h" | "--help" => {
            print_usage();
            Some(Ok(ExitCode::SUCCESS))
        }
        _ => None,
    }
}

fn print_usage() {
    eprintln!("usage: cargo xtask <command> [options]\n\ncommands:");
    for (name, help) in COMMANDS {
        eprintln!("  {name} {help}");
    }
}

/// The repository root (the parent of this crate's folder).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), PathBuf::from)
}
