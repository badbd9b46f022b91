//! `cargo xtask corpus [--check] [--python PATH]`: regenerates the conformance corpus in
//! `corpus/` with a pinned NumPy, or checks that the committed corpus is what NumPy makes.
//!
//! The generator is `conformance/generator/generate.py`; it always writes into a fresh folder
//! under the target directory. Without `--check` the generated `manifest.json`, `valid/` and
//! `invalid/` then replace those in `corpus/` (anything else there, such as `README.md`, stays).
//! With `--check` the fresh output is compared file by file with `corpus/`, and every differing,
//! missing or extra file is listed; any difference fails the command.
//!
//! The interpreter is `--python PATH`, else `$NPY_PYTHON`, else the repository's `.venv`, which
//! is created (`python3 -m venv .venv`, then `pip install numpy==2.4.6`) when it is missing or
//! holds another NumPy. A given interpreter must already have NumPy 2.4.6.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::repo_root;

/// The NumPy the corpus is generated with; its verdicts and error messages are the corpus.
const NUMPY_VERSION: &str = "2.4.6";

/// What the generator writes into its output folder; everything else in `corpus/` is left alone.
const GENERATED: &[&str] = &["manifest.json", "valid", "invalid"];

const USAGE: &str = "usage: cargo xtask corpus [--check] [--python PATH]

Regenerates corpus/ with NumPy 2.4.6 (conformance/generator/generate.py).
--check        generate into a temporary folder and fail if anything differs from corpus/
--python PATH  the interpreter to use (it must have NumPy 2.4.6); default: $NPY_PYTHON, else
               the repository's .venv, created with pip when missing or out of date";

#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    check: bool,
    python: Option<PathBuf>,
}

/// Entry point of the `corpus` command.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some(options) = parse_args(args)? else {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let root = repo_root();
    let python = interpreter(&root, options.python)?;
    let corpus = root.join("corpus");
    let scratch = ScratchDir::new(&root)?;

    println!("== generating the corpus with {}", python.display());
    let status = Command::new(&python)
        .arg(root.join("conformance/generator/generate.py"))
        .arg(&scratch.path)
        .current_dir(&root)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !status.success() {
        return Err(format!("the generator failed ({status})"));
    }
    let summary = Summary::read(&scratch.path)?;

    if options.check {
        let differences = compare(&scratch.path, &corpus)?;
        if differences.is_empty() {
            println!("corpus/ matches NumPy {NUMPY_VERSION}: {summary}");
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "corpus/ differs from what NumPy {NUMPY_VERSION} generates ({} file{}):",
            differences.len(),
            if differences.len() == 1 { "" } else { "s" }
        );
        for difference in &differences {
            println!("  {difference}");
        }
        println!("regenerate with: cargo xtask corpus");
        return Ok(ExitCode::FAILURE);
    }

    replace_generated(&scratch.path, &corpus)?;
    println!("corpus/ regenerated: {summary}");
    Ok(ExitCode::SUCCESS)
}

/// `Ok(None)` for `--help`.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--check" => options.check = true,
            "--python" => {
                let path = args
                    .next()
                    .ok_or_else(|| format!("--python needs a path\n\n{USAGE}"))?;
                options.python = Some(PathBuf::from(path));
            }
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(Some(options))
}

// ---------------------------------------------------------------------------------------------
// The interpreter
// ---------------------------------------------------------------------------------------------

/// The Python to run the generator with (see the module docs for the order of choice).
fn interpreter(root: &Path, given: Option<PathBuf>) -> Result<PathBuf, String> {
    let given = given.or_else(|| {
        std::env::var_os("NPY_PYTHON")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    if let Some(mut python) = given {
        // The generator runs from the repository root; a relative path like `.venv/bin/python`
        // means the caller's folder. A bare name is left for the PATH search.
        if python.is_relative() && python.components().count() > 1 {
            if let Ok(cwd) = std::env::current_dir() {
                python = cwd.join(python);
            }
        }
        // An interpreter chosen by hand is never modified; a wrong NumPy is an error, since its
        // verdicts and messages would not be the committed corpus's.
        return match numpy_version(&python) {
            Some(version) if version == NUMPY_VERSION => Ok(python),
            Some(version) => Err(format!(
                "{} has NumPy {version}; the corpus needs NumPy {NUMPY_VERSION}",
                python.display()
            )),
            None => Err(format!(
                "cannot run {} or it cannot import numpy; the corpus needs NumPy {NUMPY_VERSION}",
                python.display()
            )),
        };
    }
    let venv = root.join(".venv");
    let python = venv_python(&venv);
    if !python.exists() {
        println!("== creating {} (python3 -m venv .venv)", venv.display());
        run_checked(
            Command::new(system_python())
                .args(["-m", "venv"])
                .arg(&venv),
        )?;
    }
    if numpy_version(&python).as_deref() != Some(NUMPY_VERSION) {
        println!("== installing numpy=={NUMPY_VERSION} into .venv (pip)");
        run_checked(Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            &format!("numpy=={NUMPY_VERSION}"),
        ]))?;
        match numpy_version(&python) {
            Some(version) if version == NUMPY_VERSION => {}
            other => {
                return Err(format!(
                    "after pip install, {} reports NumPy {}",
                    python.display(),
                    other.as_deref().unwrap_or("(none)")
                ))
            }
        }
    }
    Ok(python)
}

/// The interpreter inside a virtual environment.
fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// The Python that creates the virtual environment.
fn system_python() -> &'static str {
    if cfg!(windows) {
        "python"
    } else {
        "python3"
    }
}

/// `numpy.__version__` as `python` sees it, or `None` when it cannot import NumPy.
fn numpy_version(python: &Path) -> Option<String> {
    let output = Command::new(python)
        .args(["-c", "import numpy; print(numpy.__version__)"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn run_checked(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

// ---------------------------------------------------------------------------------------------
// Output folders
// ---------------------------------------------------------------------------------------------

/// A fresh folder under the target directory, removed again when dropped (also on errors), so
/// a failed run leaves neither half-written files in `corpus/` nor stray folders behind.
struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    fn new(root: &Path) -> Result<ScratchDir, String> {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|t| if t.is_absolute() { t } else { root.join(t) })
            .unwrap_or_else(|| root.join("target"));
        let path = target.join(format!("xtask-corpus-{}", std::process::id()));
        if path.exists() {
            fs::remove_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(ScratchDir { path })
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // Best effort: a leftover folder under target/ harms nothing.
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Moves the generated entries from `fresh` into `corpus`, replacing the old ones.
fn replace_generated(fresh: &Path, corpus: &Path) -> Result<(), String> {
    fs::create_dir_all(corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    for name in GENERATED {
        let (from, to) = (fresh.join(name), corpus.join(name));
        if to.is_dir() {
            fs::remove_dir_all(&to).map_err(|e| format!("{}: {e}", to.display()))?;
        } else if to.exists() {
            fs::remove_file(&to).map_err(|e| format!("{}: {e}", to.display()))?;
        }
        if !from.exists() {
            continue;
        }
        // A rename is instant; copying covers a target directory on another file system.
        if fs::rename(&from, &to).is_err() {
            copy_tree(&from, &to)
                .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))?;
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(|_| ())
    }
}

/// Files under `dir` that the generator owns, as `/`-separated relative paths.
fn generated_files(dir: &Path) -> Result<BTreeSet<String>, String> {
    let mut files = BTreeSet::new();
    for name in GENERATED {
        let path = dir.join(name);
        if path.exists() {
            collect(&path, name, &mut files).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(files)
}

fn collect(path: &Path, rel: &str, files: &mut BTreeSet<String>) -> io::Result<()> {
    if path.is_dir() {
        for entry in fs::read_dir(path)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            collect(&entry.path(), &format!("{rel}/{name}"), files)?;
        }
    } else {
        files.insert(rel.to_owned());
    }
    Ok(())
}

/// Every file that differs between the fresh output and the committed corpus, described.
fn compare(fresh: &Path, committed: &Path) -> Result<Vec<String>, String> {
    let new = generated_files(fresh)?;
    let old = generated_files(committed)?;
    let mut differences = Vec::new();
    for rel in new.union(&old) {
        match (new.contains(rel), old.contains(rel)) {
            (true, false) => differences.push(format!("missing from corpus/: {rel}")),
            (false, true) => differences.push(format!("not generated (extra): {rel}")),
            _ => {
                let read = |dir: &Path| {
                    let path = dir.join(rel);
                    fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
                };
                if read(fresh)? != read(committed)? {
                    differences.push(format!("differs: {rel}"));
                }
            }
        }
    }
    Ok(differences)
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

/// Counts for the closing line.
#[derive(Debug, Default, PartialEq, Eq)]
struct Summary {
    valid: usize,
    invalid: usize,
    canonical: usize,
    bytes: u64,
}

impl Summary {
    /// Reads the counts from a generated folder. The generator writes `manifest.json` with one
    /// case per line through `json.dumps`, so each field has one fixed spelling.
    fn read(dir: &Path) -> Result<Summary, String> {
        let path = dir.join("manifest.json");
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut summary = Summary::from_manifest(&text);
        for rel in generated_files(dir)? {
            let path = dir.join(&rel);
            summary.bytes += fs::metadata(&path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .len();
        }
        Ok(summary)
    }

    fn from_manifest(text: &str) -> Summary {
        let mut summary = Summary::default();
        for line in text.lines().filter(|l| l.starts_with("{\"id\": ")) {
            if line.contains("\"verdict\": \"valid\"") {
                summary.valid += 1;
            } else {
                summary.invalid += 1;
            }
            if line.contains("\"canonical\": true") {
                summary.canonical += 1;
            }
        }
        summary
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} cases, {} valid ({} canonical), {} invalid, {} bytes",
            self.valid + self.invalid,
            self.valid,
            self.canonical,
            self.invalid,
            self.bytes
        )
    }
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
        assert_eq!(parse(&[]).unwrap(), Some(Options::default()));
        assert_eq!(
            parse(&["--check", "--python", "/usr/bin/python3"]).unwrap(),
            Some(Options {
                check: true,
                python: Some(PathBuf::from("/usr/bin/python3")),
            })
        );
        assert_eq!(parse(&["--help"]).unwrap(), None);
        assert!(parse(&["--python"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }

    #[test]
    fn summary_counts_manifest_lines() {
        let text = r#"{"corpus_version": 1, "numpy_version": "2.4.6", "cases": [
{"id": "invalid/header/a", "verdict": "invalid", "numpy_error": "ValueError: \"verdict\": \"valid\""},
{"id": "valid/scalars/b", "verdict": "valid", "canonical": true},
{"id": "valid/legacy/c", "verdict": "valid", "canonical": false}
]}
"#;
        let summary = Summary::from_manifest(text);
        assert_eq!(
            (summary.valid, summary.invalid, summary.canonical),
            (2, 1, 1)
        );
    }

    #[test]
    fn compare_lists_every_kind_of_difference() {
        let base = std::env::temp_dir().join(format!("xtask-corpus-test-{}", std::process::id()));
        let (fresh, committed) = (base.join("fresh"), base.join("committed"));
        for dir in [&fresh, &committed] {
            fs::create_dir_all(dir.join("valid/t")).unwrap();
            fs::write(dir.join("manifest.json"), "{}").unwrap();
            fs::write(dir.join("valid/t/same.npy"), "x").unwrap();
        }
        fs::write(fresh.join("valid/t/changed.npy"), "new").unwrap();
        fs::write(committed.join("valid/t/changed.npy"), "old").unwrap();
        fs::write(fresh.join("valid/t/added.npy"), "a").unwrap();
        fs::write(committed.join("valid/t/stale.npy"), "s").unwrap();
        fs::write(committed.join("README.md"), "not generated").unwrap();
        let differences = compare(&fresh, &committed).unwrap();
        fs::remove_dir_all(&base).unwrap();
        assert_eq!(
            differences,
            [
                "missing from corpus/: valid/t/added.npy",
                "differs: valid/t/changed.npy",
                "not generated (extra): valid/t/stale.npy",
            ]
        );
    }
}
