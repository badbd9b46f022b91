//! Scoring: turns one invocation's exit status and output into an [`Outcome`], following the
//! table in `corpus/README.md` ("Runner contract").

use std::io;

use serde_json::Value;

use crate::exec::{Execution, Status};
use crate::json_diff::first_difference;
use crate::manifest::Verdict;
use crate::mode::Mode;
use crate::report::{Failure, FailureKind, Outcome};

/// Scores `decode`. `expected` is the value document of a valid case.
pub(crate) fn decode(verdict: Verdict, expected: Option<&Value>, run: &Execution) -> Outcome {
    if let Err(outcome) = exit_code(Mode::Decode, verdict, run) {
        return outcome;
    }
    let Some(expected) = expected else {
        // An invalid case that exited 1: stdout is not looked at.
        return Outcome::Pass;
    };
    if run.stdout.overflowed {
        return fail(
            FailureKind::OutputTooLarge,
            format!(
                "printed more than {} bytes on stdout",
                run.stdout.bytes.len()
            ),
            run,
        );
    }
    let document: Value = match crate::json_diff::parse_document(&run.stdout.bytes) {
        Ok(document) => document,
        Err(e) => {
            return fail(
                FailureKind::NotJson,
                format!("stdout is not one JSON document ({e})"),
                run,
            )
        }
    };
    match first_difference(expected, &document) {
        None => Outcome::Pass,
        Some(difference) => fail(FailureKind::Mismatch, difference.to_string(), run),
    }
}

/// Scores `validate`.
pub(crate) fn validate(verdict: Verdict, run: &Execution) -> Outcome {
    match exit_code(Mode::Validate, verdict, run) {
        Ok(()) => Outcome::Pass,
        Err(outcome) => outcome,
    }
}

/// Scores `encode`: `written` is what the implementation left in its output file, `wanted` the
/// case file's bytes.
pub(crate) fn encode(run: &Execution, written: io::Result<Vec<u8>>, wanted: &[u8]) -> Outcome {
    if let Err(outcome) = exit_code(Mode::Encode, Verdict::Valid, run) {
        return outcome;
    }
    let written = match written {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return fail(
                FailureKind::NoOutputFile,
                "exited 0 without writing the output file".into(),
                run,
            )
        }
        Err(e) => {
            return fail(
                FailureKind::RunnerIo,
                format!("cannot read the output file: {e}"),
                run,
            )
        }
    };
    match first_byte_difference(wanted, &written) {
        None => Outcome::Pass,
        Some(message) => fail(FailureKind::BytesDiffer, message, run),
    }
}

/// An `Outcome` for a process that could not be started.
pub(crate) fn spawn_error(error: &io::Error) -> Outcome {
    Outcome::Fail(Failure {
        kind: FailureKind::SpawnError,
        message: format!("cannot start the implementation: {error}"),
        stderr: String::new(),
    })
}

/// Checks how the process ended against the exit code the case calls for. `Ok` means it exited
/// with that code and the mode-specific checks may go on.
fn exit_code(mode: Mode, verdict: Verdict, run: &Execution) -> Result<(), Outcome> {
    let code = match run.status {
        Status::Exited(code) => code,
        Status::TimedOut => {
            return Err(fail(
                FailureKind::Timeout,
                format!(
                    "still running after {:.1} s; killed",
                    run.elapsed.as_secs_f64()
                ),
                run,
            ))
        }
        Status::Signaled(signal) => {
            return Err(fail(
                FailureKind::Signal,
                format!("killed by signal {signal}{}", signal_name(signal)),
                run,
            ))
        }
        Status::Unknown => {
            return Err(fail(
                FailureKind::WrongExit,
                "ended without an exit code".into(),
                run,
            ))
        }
    };
    if run.stdout.left_open || run.stderr.left_open {
        return Err(fail(
            FailureKind::StreamLeftOpen,
            "a process it started kept stdout or stderr open after it exited".into(),
            run,
        ));
    }
    if code == 2 {
        return Err(Outcome::Unsupported {
            reason: first_line(&run.stderr.bytes),
        });
    }
    let wanted = match verdict {
        Verdict::Valid => 0,
        Verdict::Invalid => 1,
    };
    if code == wanted {
        return Ok(());
    }
    let message = match (mode, code) {
        (Mode::Encode, 1) => "refused to encode the document (exit 1)".to_owned(),
        (_, 1) => "said NumPy's valid file is invalid (exit 1)".to_owned(),
        (_, 0) => "accepted a file NumPy refuses (exit 0)".to_owned(),
        (_, other) => {
            format!("exit {other}: the contract allows 0, 1 or 2 (this case wants {wanted})")
        }
    };
    Err(fail(FailureKind::WrongExit, message, run))
}

fn fail(kind: FailureKind, message: String, run: &Execution) -> Outcome {
    Outcome::Fail(Failure {
        kind,
        message,
        stderr: excerpt(&run.stderr.bytes),
    })
}

/// Where two byte strings first differ, in words; `None` when equal.
fn first_byte_difference(wanted: &[u8], written: &[u8]) -> Option<String> {
    let common = wanted.iter().zip(written).position(|(a, b)| a != b);
    match common {
        Some(at) => Some(format!(
            "wrote different bytes from offset {at} (expected {}, got {}; {} bytes written, {} expected)",
            show_byte(wanted[at]),
            show_byte(written[at]),
            written.len(),
            wanted.len()
        )),
        None if wanted.len() != written.len() => Some(format!(
            "wrote {} bytes, expected {} (the first {} agree)",
            written.len(),
            wanted.len(),
            wanted.len().min(written.len())
        )),
        None => None,
    }
}

/// A byte in hex, with its character when printable: most encode differences are in the
/// header's text.
fn show_byte(byte: u8) -> String {
    if byte.is_ascii_graphic() || byte == b' ' {
        format!("0x{byte:02x} {:?}", byte as char)
    } else {
        format!("0x{byte:02x}")
    }
}

fn signal_name(signal: i32) -> &'static str {
    // Linux numbering, which the other Unixes share for these.
    match signal {
        4 => " (SIGILL)",
        6 => " (SIGABRT)",
        7 => " (SIGBUS)",
        8 => " (SIGFPE)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        13 => " (SIGPIPE)",
        15 => " (SIGTERM)",
        _ => "",
    }
}

/// The first non-empty line of stderr, for an "unsupported" reason.
fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    truncate(line, 200)
}

/// The start of stderr: enough to see what went wrong, short enough for a failure list.
fn excerpt(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.trim().lines().take(5).collect();
    truncate(&lines.join("\n"), 600)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}
