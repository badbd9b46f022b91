//! The corpus on disk: `manifest.json` and the files it names (format in `corpus/README.md`).

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::mode::Mode;

/// NumPy's verdict on a case file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// `np.load(path, allow_pickle=False)` succeeds.
    Valid,
    /// `np.load` raises.
    Invalid,
}

/// The container format of a case file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A single `.npy` array.
    Npy,
    /// A `.npz` zip archive of arrays.
    Npz,
}

/// One entry of `manifest.json`'s `cases`.
///
/// Fields the runner does not need (`tags`, `provenance`, `note`, `numpy_error`) are kept so a
/// report can show them; unknown fields are ignored so older runners read newer manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Unique id, the file's path without extension (`valid/scalars/f8-big`).
    pub id: String,
    /// The case file, relative to the corpus folder.
    pub file: String,
    /// `npy` or `npz`.
    pub format: Format,
    /// NumPy's verdict.
    pub verdict: Verdict,
    /// Valid cases: whether `np.save` writes exactly these bytes for the expected document.
    #[serde(default)]
    pub canonical: bool,
    /// SHA-256 of the case file, lowercase hex.
    pub sha256: String,
    /// Free-form labels such as `dtype:f8`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The NumPy expression or recipe that made the file.
    #[serde(default)]
    pub provenance: String,
    /// Valid cases: the value document, relative to the corpus folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Why the case exists, when that is not obvious.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Invalid cases: the exception NumPy raised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numpy_error: Option<String>,
}

impl Case {
    /// The topic: the folder under `valid/` or `invalid/` (`scalars` for
    /// `valid/scalars/f8-big.npy`), or `-` for a file that sits directly in one of them.
    pub fn topic(&self) -> &str {
        let mut parts = self.file.split('/');
        let _verdict_folder = parts.next();
        match (parts.next(), parts.next()) {
            (Some(topic), Some(_)) => topic,
            _ => "-",
        }
    }

    /// The modes the contract scores for this case: `decode` and `validate` always, `encode`
    /// for canonical valid `.npy` files (an `.npz` or a decode-only layout has no single
    /// right encoding to compare against).
    pub fn modes(&self) -> &'static [Mode] {
        if self.encodes() {
            &Mode::ALL
        } else {
            &[Mode::Decode, Mode::Validate]
        }
    }

    /// Whether `encode` is scored for this case.
    pub fn encodes(&self) -> bool {
        self.verdict == Verdict::Valid && self.canonical && self.format == Format::Npy
    }
}

/// The parsed `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of the corpus layout.
    pub corpus_version: u32,
    /// The NumPy that judged the files.
    pub numpy_version: String,
    /// Every case, in the generator's order.
    pub cases: Vec<Case>,
}

/// A corpus folder with its manifest loaded and checked.
#[derive(Debug, Clone)]
pub struct Corpus {
    root: PathBuf,
    manifest: Manifest,
}

impl Corpus {
    /// Reads `dir/manifest.json` and checks what can be checked without the case files: ids
    /// are unique, every path stays inside `dir`, every valid case names its value document.
    /// The files themselves are checked (sha256, presence) when a run starts, so a damaged file
    /// is reported per case instead of refusing the whole corpus.
    pub fn load(dir: impl AsRef<Path>) -> Result<Corpus, Error> {
        let root = dir.as_ref().to_path_buf();
        let path = root.join("manifest.json");
        let text = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let manifest: Manifest =
            serde_json::from_slice(&text).map_err(|source| Error::ManifestSyntax {
                path: path.clone(),
                source,
            })?;
        Corpus::from_manifest(root, manifest)
            .map_err(|message| Error::ManifestContent { path, message })
    }

    /// A corpus from a manifest already in memory, whose paths are relative to `root`.
    pub fn from_manifest(root: impl Into<PathBuf>, manifest: Manifest) -> Result<Corpus, String> {
        let mut seen = HashSet::new();
        for case in &manifest.cases {
            if !seen.insert(case.id.as_str()) {
                return Err(format!("case id `{}` appears twice", case.id));
            }
            check_relative(&case.id, "file", &case.file)?;
            match (&case.expected, case.verdict) {
                (Some(expected), _) => check_relative(&case.id, "expected", expected)?,
                (None, Verdict::Valid) => {
                    return Err(format!(
                        "valid case `{}` has no `expected` document",
                        case.id
                    ))
                }
                (None, Verdict::Invalid) => {}
            }
        }
        Ok(Corpus {
            root: root.into(),
            manifest,
        })
    }

    /// The corpus folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The parsed manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Every case, in manifest order.
    pub fn cases(&self) -> &[Case] {
        &self.manifest.cases
    }

    /// The case with this id.
    pub fn case(&self, id: &str) -> Option<&Case> {
        self.manifest.cases.iter().find(|case| case.id == id)
    }

    /// Where the case file is on disk.
    pub fn file_path(&self, case: &Case) -> PathBuf {
        self.root.join(&case.file)
    }

    /// Where the case's value document is on disk (valid cases).
    pub fn expected_path(&self, case: &Case) -> Option<PathBuf> {
        case.expected.as_ref().map(|e| self.root.join(e))
    }
}

/// Manifest paths are `/`-separated and relative; anything that could point outside the corpus
/// folder (absolute, `..`) is refused, since the runner hands these paths to another program.
fn check_relative(id: &str, field: &str, path: &str) -> Result<(), String> {
    let fine = !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if fine {
        Ok(())
    } else {
        Err(format!(
            "case `{id}`: `{field}` must be a relative path inside the corpus, got `{path}`"
        ))
    }
}
