//! The Python-literal subset that `.npy` headers are written in.
//!
//! NumPy writes the header with Python's `repr` and reads it with `ast.literal_eval`. This module
//! parses the subset real writers produce (dicts, tuples, lists, strings, integers, booleans) with a
//! bounded, non-recursive-in-input-size parser, and renders strings exactly as Python's `repr` does.

mod parse;
mod repr;

pub use parse::{parse, ParseOptions};
pub use repr::{write_repr_bytes, write_repr_shape, write_repr_str};

/// A parsed Python literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A `str` (after escapes and implicit concatenation are resolved).
    Str(String),
    /// An `int`. Values outside `i128` are a syntax error.
    Int(i128),
    /// `True` or `False`.
    Bool(bool),
    /// `None`.
    None,
    /// A tuple `(a, b)`.
    Tuple(Vec<Value>),
    /// A list `[a, b]`.
    List(Vec<Value>),
    /// A dict `{k: v}`, entries in source order (duplicates kept; later wins on lookup).
    Dict(Vec<(Value, Value)>),
}

impl Value {
    /// Looks up a string key in a dict; the last duplicate wins, as in Python.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| matches!(k, Value::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Renders the value as Python's `repr` would (used in error messages and tools).
impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn items(f: &mut std::fmt::Formatter<'_>, items: &[Value]) -> std::fmt::Result {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{item}")?;
            }
            Ok(())
        }
        match self {
            Value::Str(s) => {
                let mut out = String::with_capacity(s.len() + 2);
                write_repr_str(&mut out, s);
                f.write_str(&out)
            }
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::None => f.write_str("None"),
            Value::Tuple(t) => {
                f.write_str("(")?;
                items(f, t)?;
                f.write_str(if t.len() == 1 { ",)" } else { ")" })
            }
            Value::List(l) => {
                f.write_str("[")?;
                items(f, l)?;
                f.write_str("]")
            }
            Value::Dict(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}
