//! A tiny JSON emitter.
//!
//! serde_json cannot hold a Rust `String` with a lone surrogate, but a NumPy `U` string may
//! contain one (and npyz reads it as a `Vec<u32>`), so the output tree keeps code points and
//! escapes surrogates itself.

use std::fmt::Write;

/// A JSON value to print.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Bool(bool),
    Num(u64),
    /// A string given as Unicode code points (surrogates allowed).
    Text(Vec<u32>),
    List(Vec<Out>),
    Obj(Vec<(String, Out)>),
}

impl Out {
    /// A JSON string from Rust text.
    pub fn str(s: &str) -> Out {
        Out::Text(s.chars().map(u32::from).collect())
    }

    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }

    fn write(&self, s: &mut String) {
        match self {
            Out::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
            Out::Num(n) => {
                let _ = write!(s, "{n}");
            }
            Out::Text(cps) => write_text(s, cps),
            Out::List(items) => {
                s.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    item.write(s);
                }
                s.push(']');
            }
            Out::Obj(fields) => {
                s.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    write_text(s, &k.chars().map(u32::from).collect::<Vec<_>>());
                    s.push_str(": ");
                    v.write(s);
                }
                s.push('}');
            }
        }
    }
}

fn write_text(s: &mut String, cps: &[u32]) {
    s.push('"');
    for &cp in cps {
        match char::from_u32(cp) {
            Some('"') => s.push_str("\\\""),
            Some('\\') => s.push_str("\\\\"),
            Some(c) if (c as u32) < 0x20 => {
                let _ = write!(s, "\\u{:04x}", c as u32);
            }
            Some(c) => s.push(c),
            // A surrogate (npyz rejects code points past U+10FFFF before we get here).
            None if cp <= 0xffff => {
                let _ = write!(s, "\\u{cp:04x}");
            }
            None => s.push('\u{fffd}'),
        }
    }
    s.push('"');
}

/// Lowercase hex of bytes, no prefix.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Bytes from lowercase or uppercase hex.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_controls_and_surrogates() {
        let out = Out::Text(vec![0x22, 0x5c, 0x0a, 0xd800, 0xe9]);
        assert_eq!(out.to_json(), "\"\\\"\\\\\\u000a\\ud800\u{e9}\"");
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex(&[0, 0xff, 0x61]), "00ff61");
        assert_eq!(unhex("00ff61"), Some(vec![0, 0xff, 0x61]));
        assert_eq!(unhex("0"), None);
    }
}
