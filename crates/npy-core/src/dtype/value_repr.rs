//! Python `repr` text of literals, for quoting names and rejected descrs in error messages.

use std::fmt::Write as _;

use crate::literal::{write_repr_str, Value};

/// The most bytes of a descr repr quoted in one error message.
const MAX_QUOTED: usize = 1000;

/// Appends `repr(value)` ([`Value`]'s `Display`), cut after [`MAX_QUOTED`] bytes with `...`.
pub(crate) fn write_repr(out: &mut String, value: &Value) {
    let start = out.len();
    // Writing to a String cannot fail.
    let _ = write!(out, "{value}");
    if out.len() - start > MAX_QUOTED {
        let mut cut = start + MAX_QUOTED;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("...");
    }
}

/// `repr(s)` of a Python `str`, as a new string.
pub(crate) fn repr_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_repr_str(&mut out, s);
    out
}
