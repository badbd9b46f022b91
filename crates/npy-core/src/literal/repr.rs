//! Python's `repr` of a `str`, character for character.
//!
//! This follows CPython 3.11's `unicode_repr` (Objects/unicodeobject.c):
//!
//! * Quotes: single, unless the string contains `'` and no `"`; then double.
//! * `\\` and the chosen quote are backslash-escaped; `\t`, `\n`, `\r` use their short forms.
//! * Other ASCII controls (below U+0020, and U+007F) become `\xhh`.
//! * Non-ASCII characters are written literally when `str.isprintable()` holds for them,
//!   otherwise as `\xhh` (up to U+00FF), `\uhhhh` (up to U+FFFF) or `\Uhhhhhhhh`; hex digits are
//!   lower case.
//!
//! "Printable" means the general category is none of Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (ASCII
//! space excepted). The categories come from the `unicode-properties` crate, whose Unicode
//! version ([`unicode_properties::UNICODE_VERSION`], 18.0 at the time of writing) is newer than
//! Python 3.11's (14.0) or 3.13's (15.1). Characters assigned after the running Python's
//! Unicode version are unassigned (Cn) there, so Python escapes them while this function writes
//! them literally. This only affects strings containing such recently assigned characters:
//! checked over every code point against Python 3.11.7, the 28,104 differences (with
//! unicode-properties 0.1.5) are all code points that are Cn in Unicode 14.0; no other
//! category change between the two versions matters for `isprintable`.

use std::fmt::Write as _;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Appends `repr(s)` as Python 3 would print it, quotes included.
///
/// For example `it's` becomes `"it's"`, a tab becomes `'\t'`, U+00A0 becomes `'\xa0'`, and
/// `é` stays `'é'`.
pub fn write_repr_str(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.reserve(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\x20'..='\x7e' => out.push(c),
            c if c.is_ascii() => push_hex_escape(out, c),
            c if is_printable(c) => out.push(c),
            c => push_hex_escape(out, c),
        }
    }
    out.push(quote);
}

/// Writes `\xhh`, `\uhhhh` or `\Uhhhhhhhh`, the shortest form that fits, as Python does.
fn push_hex_escape(out: &mut String, c: char) {
    let code = u32::from(c);
    // Writing to a String cannot fail.
    let _ = if code <= 0xff {
        write!(out, "\\x{code:02x}")
    } else if code <= 0xffff {
        write!(out, "\\u{code:04x}")
    } else {
        write!(out, "\\U{code:08x}")
    };
}

/// Python's `str.isprintable` for one non-ASCII character.
fn is_printable(c: char) -> bool {
    !matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Surrogate
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::SpaceSeparator
    )
}

/// Appends Python's `repr` of a tuple of ints: `()`, `(3,)`, `(2, 3)` (how shapes appear in a
/// header and in a descr's subarray entries).
pub fn write_repr_shape(out: &mut String, shape: &[u64]) {
    out.push('(');
    for (i, dim) in shape.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{dim}");
    }
    if shape.len() == 1 {
        out.push(',');
    }
    out.push(')');
}

/// Appends Python's `repr` of a bytes object: `b'ab\x00'`.
pub fn write_repr_bytes(out: &mut String, bytes: &[u8]) {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    out.push('b');
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if char::from(b) == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push(quote);
}
