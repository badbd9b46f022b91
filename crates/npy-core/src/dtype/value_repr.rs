//! Python `repr` text of literals, for quoting names and rejected descrs in error messages.

use crate::literal::{write_repr_str, Value};

/// The most bytes of a descr repr quoted in one error message.
const MAX_QUOTED: usize = 1000;

/// Appends `repr(value)` as Python prints it, cut after about [`MAX_QUOTED`] bytes with `...`.
///
/// Iterative (an explicit stack) and stops early, so a hostile, deeply nested value cannot
/// overflow the call stack or produce a huge message; `Value`'s own `Display` recurses.
pub(crate) fn write_repr(out: &mut String, value: &Value) {
    enum Item<'a> {
        Value(&'a Value),
        Text(&'static str),
    }
    let start = out.len();
    let mut stack = vec![Item::Value(value)];
    while let Some(item) = stack.pop() {
        if out.len() - start > MAX_QUOTED {
            out.push_str("...");
            return;
        }
        let value = match item {
            Item::Text(text) => {
                out.push_str(text);
                continue;
            }
            Item::Value(value) => value,
        };
        match value {
            Value::Str(s) => write_repr_str(out, s),
            Value::Int(n) => out.push_str(&n.to_string()),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::None => out.push_str("None"),
            Value::Tuple(items) | Value::List(items) => {
                let tuple = matches!(value, Value::Tuple(_));
                out.push(if tuple { '(' } else { '[' });
                stack.push(Item::Text(match (tuple, items.len()) {
                    (true, 1) => ",)",
                    (true, _) => ")",
                    (false, _) => "]",
                }));
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push(Item::Value(item));
                    if i > 0 {
                        stack.push(Item::Text(", "));
                    }
                }
            }
            Value::Dict(entries) => {
                out.push('{');
                stack.push(Item::Text("}"));
                for (i, (key, val)) in entries.iter().enumerate().rev() {
                    stack.push(Item::Value(val));
                    stack.push(Item::Text(": "));
                    stack.push(Item::Value(key));
                    if i > 0 {
                        stack.push(Item::Text(", "));
                    }
                }
            }
        }
    }
}

/// `repr(s)` of a Python `str`, as a new string.
pub(crate) fn repr_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_repr_str(&mut out, s);
    out
}
