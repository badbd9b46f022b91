//! Property tests: arbitrary rows written by npy-serde load in NumPy with the same values, in
//! both byte orders and both string modes.

mod common;

use common::np_load_json;
use half::f16;
use npy_core::ByteOrder;
use npy_serde::{to_vec_with, Options, StringMode};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Serialize, Debug, Clone, Copy)]
enum Side {
    Buy,
    Sell,
}

#[derive(Serialize, Debug, Clone)]
struct Row {
    id: i64,
    small: i8,
    count: u32,
    flag: bool,
    x: f64,
    y: f32,
    label: String,
    code: [u8; 3],
    pos: (f32, f32),
    side: Side,
    h: f16,
}

fn row_strategy() -> impl Strategy<Value = Row> {
    (
        (any::<i64>(), any::<i8>(), any::<u32>(), any::<bool>()),
        (
            any::<f64>(),
            any::<f32>(),
            "[^\u{0}]{0,8}",
            any::<[u8; 3]>(),
        ),
        (any::<(f32, f32)>(), any::<bool>(), any::<u16>()),
    )
        .prop_map(
            |((id, small, count, flag), (x, y, label, code), (pos, sell, h))| Row {
                id,
                small,
                count,
                flag,
                x,
                y,
                label,
                code,
                pos,
                side: if sell { Side::Sell } else { Side::Buy },
                h: f16::from_bits(h),
            },
        )
}

/// A float as the oracle writes it: a number, or "nan" / "inf" / "-inf".
fn float_json(v: f64) -> Value {
    if v.is_nan() {
        json!("nan")
    } else if v.is_infinite() {
        json!(if v > 0.0 { "inf" } else { "-inf" })
    } else {
        json!(v)
    }
}

/// Whether two JSON values are equal, allowing floats to differ in their last digits: Python
/// writes the shortest repr, which serde_json (without `float_roundtrip`) does not always parse
/// to the nearest double. Integers must be equal.
fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-14 * x.abs().max(y.abs()),
                _ => false,
            }
        }
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| close(x, y))
        }
        _ => a == b,
    }
}

fn expected(row: &Row, strings: StringMode) -> Value {
    let hex = |b: &[u8]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let stripped = |b: &[u8]| {
        let end = b.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
        hex(&b[..end])
    };
    let text = |s: &str| match strings {
        StringMode::Unicode => json!(s),
        _ => json!({ "bytes_hex": stripped(s.as_bytes()) }),
    };
    let side = match row.side {
        Side::Buy => "Buy",
        Side::Sell => "Sell",
    };
    json!([
        row.id,
        row.small,
        row.count,
        row.flag,
        float_json(row.x),
        float_json(f64::from(row.y)),
        text(&row.label),
        { "bytes_hex": stripped(&row.code) },
        [float_json(f64::from(row.pos.0)), float_json(f64::from(row.pos.1))],
        text(side),
        float_json(row.h.to_f64()),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn numpy_loads_what_was_written(
        rows in proptest::collection::vec(row_strategy(), 1..6),
        big in any::<bool>(),
        bytes in any::<bool>(),
    ) {
        let strings = if bytes { StringMode::Bytes } else { StringMode::Unicode };
        let order = if big { ByteOrder::Big } else { ByteOrder::Little };
        let options = Options::new().byte_order(order).strings(strings);
        let loaded = np_load_json(&to_vec_with(&rows, &options).unwrap());
        prop_assert_eq!(&loaded["shape"], &json!([rows.len()]));
        let values = loaded["values"].as_array().unwrap();
        for (row, value) in rows.iter().zip(values) {
            let want = expected(row, strings);
            prop_assert!(close(value, &want), "NumPy read {value} for {row:?}, expected {want}");
        }
        let descr = loaded["descr"].as_str().unwrap();
        let o = if big { '>' } else { '<' };
        prop_assert!(descr.starts_with(&format!("[('id', '{o}i8'), ('small', '|i1'), ('count', '{o}u4')")), "{descr}");
    }
}
