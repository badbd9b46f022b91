//! `cargo xtask corpus` (being written).

use std::process::ExitCode;

/// Entry point.
pub fn run(_args: &[String]) -> Result<ExitCode, String> {
    Err("not implemented yet".into())
}
