//! JSON for value documents (`npy decode` / `npy encode`): a small parser and writer that keep
//! every string exactly, lone surrogates included.
//!
//! A NumPy `U` array holds UCS-4 code points, and Python strings may hold lone surrogates
//! (`'\ud800'`), which NumPy stores as is; Python's `json` writes them as `"\ud800"`. Rust's
//! `String` cannot hold them, so `serde_json` refuses such a document. Here a string with a
//! lone surrogate parses to [`Json::Units`], its code points, and the writer escapes surrogates
//! back to `\uXXXX`. Numbers are kept as their text: the document writes every integer that
//! matters as a string, and shapes are checked by the caller.

use std::fmt::Write as _;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written (validated against JSON's grammar).
    Number(String),
    /// A string whose code points are all Unicode scalar values.
    Str(String),
    /// A string holding a lone surrogate: its code points (UTF-16 pairs combined).
    Units(Vec<u32>),
    /// An array.
    Array(Vec<Json>),
    /// An object, keys in document order (duplicate keys are refused when parsing).
    Object(Vec<(String, Json)>),
}

impl Json {
    /// A short name of the value's type, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::Str(_) | Json::Units(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Deepest nesting of arrays and objects accepted; far beyond any document (64 dimensions,
/// records nested 100 deep, each level two arrays), and shallow enough for the recursive parser.
const MAX_DEPTH: usize = 1000;

/// Parses one JSON value (surrounded by optional whitespace).
///
/// # Errors
/// A message with the line and column where the text stops being JSON.
pub fn parse(text: &str) -> Result<Json, String> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    parser.skip_whitespace();
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> String {
        let before = &self.text[..self.pos.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{message} at line {line} column {column}")
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => self.string(),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of the document")),
        }
    }

    fn nested(&mut self, parse: fn(&mut Self) -> Result<Json, String>) -> Result<Json, String> {
        if self.depth == MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        let value = parse(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn array(&mut self) -> Result<Json, String> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self) -> Result<Json, String> {
        self.pos += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let at = self.pos;
            let key = match self.string()? {
                Json::Str(key) => key,
                _ => {
                    self.pos = at;
                    return Err(self.error("an object key holds a lone surrogate"));
                }
            };
            if members.iter().any(|(k, _)| *k == key) {
                self.pos = at;
                return Err(self.error(&format!("duplicate key {key:?}")));
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':'"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value()?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos > from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.error("malformed number"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error("malformed number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error("malformed number"));
            }
        }
        Ok(Json::Number(self.text[start..self.pos].to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("\\u needs four hex digits"))?;
        self.pos += 4;
        Ok(u32::from_str_radix(digits, 16).expect("checked hex digits"))
    }

    fn string(&mut self) -> Result<Json, String> {
        self.pos += 1;
        let mut units: Vec<u32> = Vec::new();
        let mut lone = false;
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                return Err(self.error("unterminated string"));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => {
                    self.pos += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let unit = self.unicode_escape()?;
                            lone |= (0xd800..=0xdfff).contains(&unit);
                            units.push(unit);
                            continue;
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.pos += 1;
                    units.push(u32::from(escaped));
                }
                c if u32::from(c) < 0x20 => {
                    return Err(self.error("control character in a string (escape it)"));
                }
                c => {
                    self.pos += c.len_utf8();
                    units.push(u32::from(c));
                }
            }
        }
        if lone {
            return Ok(Json::Units(units));
        }
        let text = units
            .iter()
            .map(|&u| char::from_u32(u).expect("not a surrogate, and at most U+10FFFF"))
            .collect();
        Ok(Json::Str(text))
    }

    /// The code point of `\uXXXX` (the `\u` already read), joining a surrogate pair written as
    /// two escapes; a surrogate without its partner is returned as is.
    fn unicode_escape(&mut self) -> Result<u32, String> {
        let first = self.hex4()?;
        if !(0xd800..=0xdbff).contains(&first) || !self.bytes[self.pos..].starts_with(b"\\u") {
            return Ok(first);
        }
        let at = self.pos;
        self.pos += 2;
        let second = self.hex4()?;
        if (0xdc00..=0xdfff).contains(&second) {
            Ok(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
        } else {
            // Not a pair: the second escape is read on its own.
            self.pos = at;
            Ok(first)
        }
    }
}

/// Appends `text` as a JSON string.
pub fn write_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        write_unit(out, u32::from(c));
    }
    out.push('"');
}

/// Appends code points as a JSON string, surrogates as `\uXXXX` escapes.
///
/// # Errors
/// The first code point past U+10FFFF, which JSON cannot express.
pub fn write_units(out: &mut String, units: &[u32]) -> Result<(), u32> {
    if let Some(&bad) = units.iter().find(|&&u| u > 0x10_ffff) {
        return Err(bad);
    }
    out.push('"');
    for &unit in units {
        write_unit(out, unit);
    }
    out.push('"');
    Ok(())
}

/// Appends one code point (at most U+10FFFF) inside a JSON string.
fn write_unit(out: &mut String, unit: u32) {
    match char::from_u32(unit) {
        Some('"') => out.push_str("\\\""),
        Some('\\') => out.push_str("\\\\"),
        Some('\n') => out.push_str("\\n"),
        Some('\r') => out.push_str("\\r"),
        Some('\t') => out.push_str("\\t"),
        Some(c) if u32::from(c) >= 0x20 => out.push(c),
        // Control characters, and surrogates (no `char` exists for them).
        _ => {
            let _ = write!(out, "\\u{unit:04x}");
        }
    }
}

/// Appends `value` as compact JSON.
///
/// # Errors
/// A code point past U+10FFFF in a [`Json::Units`] string.
pub fn write(out: &mut String, value: &Json) -> Result<(), u32> {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n),
        Json::Str(s) => write_str(out, s),
        Json::Units(units) => write_units(out, units)?,
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item)?;
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, key);
                out.push(':');
                write(out, item)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &Json) -> String {
        let mut out = String::new();
        write(&mut out, value).expect("writable");
        out
    }

    #[test]
    fn parses_and_writes_documents() {
        let doc = r#" {"a": [1, -2.5e3, "x\"\\\/\n\u00e9", true, false, null], "b": {}} "#;
        let value = parse(doc).expect("valid JSON");
        assert_eq!(
            value.get("a"),
            Some(&Json::Array(vec![
                Json::Number("1".into()),
                Json::Number("-2.5e3".into()),
                Json::Str("x\"\\/\n\u{e9}".into()),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null,
            ]))
        );
        assert_eq!(
            text(&value),
            r#"{"a":[1,-2.5e3,"x\"\\/\né",true,false,null],"b":{}}"#
        );
        // Whatever serde_json makes of our output, it is the same value.
        let ours: serde_json::Value = serde_json::from_str(&text(&value)).expect("JSON");
        let theirs: serde_json::Value = serde_json::from_str(doc).expect("JSON");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn lone_surrogates_survive() {
        let value = parse(r#"["\ud800", "\ud83d\ude00", "\udc00\ud800x"]"#).expect("JSON");
        let Json::Array(items) = &value else {
            panic!("an array")
        };
        assert_eq!(items[0], Json::Units(vec![0xd800]));
        assert_eq!(items[1], Json::Str("\u{1f600}".into()));
        assert_eq!(items[2], Json::Units(vec![0xdc00, 0xd800, 0x78]));
        assert_eq!(
            text(&value),
            "[\"\\ud800\",\"\u{1f600}\",\"\\udc00\\ud800x\"]"
        );
        let mut out = String::new();
        assert_eq!(write_units(&mut out, &[0x11_0000]), Err(0x11_0000));
    }

    #[test]
    fn malformed_text_is_refused_with_a_position() {
        for (doc, message) in [
            ("[1, 2", "expected ',' or ']' at line 1 column 6"),
            (
                "{\"a\": 1, \"a\": 2}",
                "duplicate key \"a\" at line 1 column 10",
            ),
            ("[01]", "expected ',' or ']' at line 1 column 3"),
            (
                "\"a\u{1}\"",
                "control character in a string (escape it) at line 1 column 3",
            ),
            (
                "[1]\n x",
                "unexpected text after the JSON value at line 2 column 2",
            ),
            ("\"\\x\"", "invalid escape at line 1 column 3"),
            ("\"\\u12\"", "\\u needs four hex digits at line 1 column 4"),
            ("", "unexpected end of the document at line 1 column 1"),
            ("[-]", "malformed number at line 1 column 3"),
        ] {
            assert_eq!(parse(doc), Err(message.to_owned()), "{doc:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).is_err_and(|e| e.starts_with("nested deeper")));
    }
}
