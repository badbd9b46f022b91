//! The three invocations of the runner contract.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One way the runner calls the implementation (see `corpus/README.md`, "Runner contract").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// `IMPL decode FILE`: print the value document, or exit 1 for an invalid file.
    Decode,
    /// `IMPL validate FILE`: exit 0 for a valid file, 1 for an invalid one.
    Validate,
    /// `IMPL encode JSON OUT`: write the bytes `np.save` would write (canonical `.npy` cases).
    Encode,
}

impl Mode {
    /// All modes, in the order reports list them.
    pub const ALL: [Mode; 3] = [Mode::Decode, Mode::Validate, Mode::Encode];

    /// The mode's name as the contract spells it (`decode`, `validate`, `encode`).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Decode => "decode",
            Mode::Validate => "validate",
            Mode::Encode => "encode",
        }
    }

    /// Position in [`Mode::ALL`], for per-mode arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|mode| mode.name() == s)
            .ok_or_else(|| format!("unknown mode `{s}` (modes: decode, validate, encode)"))
    }
}
