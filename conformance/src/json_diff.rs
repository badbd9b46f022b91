//! Compares value documents as JSON values and names the first place they differ.
//!
//! Equality follows `corpus/README.md`: object key order and whitespace do not matter. Numbers
//! compare by value (`2` equals `2.0`), as they would in most JSON libraries other than
//! serde_json's own `PartialEq`; the value documents only use numbers for shapes.

use std::fmt;

use serde_json::{Map, Number, Value};

/// Where and how two documents first differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Path to the differing value: `values[3].x`, `npz[0][1].shape`, `["odd key"]`; empty for
    /// the documents themselves.
    pub path: String,
    /// What differs there: `expected "1", got "2"`, `expected 4 elements, got 3`, ...
    pub detail: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "document: {}", self.detail)
        } else {
            write!(f, "{}: {}", self.path, self.detail)
        }
    }
}

/// Parses one JSON document without serde_json's default nesting limit of 128: value documents
/// of records nested as deep as NumPy reads (99 levels, two JSON arrays each) go deeper. The
/// input is bounded by the runner's output cap, and 200-odd levels of recursion are harmless.
pub fn parse_document(bytes: &[u8]) -> serde_json::Result<Value> {
    use serde::Deserialize;
    let mut parser = serde_json::Deserializer::from_slice(bytes);
    parser.disable_recursion_limit();
    let value = Value::deserialize(&mut parser)?;
    parser.end()?;
    Ok(value)
}

/// The first difference between `expected` and `actual` in document order (array elements in
/// order; object keys in `expected`'s order, then keys only `actual` has), or `None` when they
/// are equal.
pub fn first_difference(expected: &Value, actual: &Value) -> Option<Difference> {
    let mut path = String::new();
    diff(expected, actual, &mut path).map(|detail| Difference { path, detail })
}

/// Whether two documents are equal in the sense of [`first_difference`].
pub fn documents_equal(expected: &Value, actual: &Value) -> bool {
    first_difference(expected, actual).is_none()
}

/// Walks both values; on a difference returns its description and leaves `path` pointing at it.
fn diff(expected: &Value, actual: &Value, path: &mut String) -> Option<String> {
    match (expected, actual) {
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Some(format!(
                    "expected {} element{}, got {}",
                    e.len(),
                    if e.len() == 1 { "" } else { "s" },
                    a.len()
                ));
            }
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                if let Some(detail) = diff(e, a, path) {
                    return Some(detail);
                }
                path.truncate(len);
            }
            None
        }
        (Value::Object(e), Value::Object(a)) => diff_objects(e, a, path),
        (Value::Number(e), Value::Number(a)) if numbers_equal(e, a) => None,
        _ if expected == actual => None,
        _ => Some(format!(
            "expected {}, got {}",
            short(expected),
            short(actual)
        )),
    }
}

fn diff_objects(
    expected: &Map<String, Value>,
    actual: &Map<String, Value>,
    path: &mut String,
) -> Option<String> {
    for (key, e) in expected {
        let len = path.len();
        push_key(path, key);
        let detail = match actual.get(key) {
            None => Some(format!("missing (expected {})", short(e))),
            Some(a) => diff(e, a, path),
        };
        if detail.is_some() {
            return detail;
        }
        path.truncate(len);
    }
    for (key, a) in actual {
        if !expected.contains_key(key) {
            push_key(path, key);
            return Some(format!("unexpected key (value {})", short(a)));
        }
    }
    None
}

fn numbers_equal(e: &Number, a: &Number) -> bool {
    if let (Some(x), Some(y)) = (e.as_i64(), a.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (e.as_u64(), a.as_u64()) {
        return x == y;
    }
    match (e.as_f64(), a.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => e == a,
    }
}

/// `.key` for identifier-like keys (`.key` without the dot at the start of the path), else
/// `["key"]` with JSON escaping, so every path reads unambiguously.
fn push_key(path: &mut String, key: &str) {
    let identifier = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&Value::String(key.to_owned()).to_string());
        path.push(']');
    }
}

/// Compact JSON, cut to a length that keeps a failure line readable.
fn short(value: &Value) -> String {
    const MAX: usize = 60;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        let cut: String = text.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(documents_equal(&json!([2, -1]), &json!([2.0, -1.0])));
        assert!(!documents_equal(&json!([2]), &json!([2.5])));
        assert!(!documents_equal(&json!(1), &json!("1")));
    }
}
