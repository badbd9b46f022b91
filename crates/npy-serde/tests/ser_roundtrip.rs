//! What the serializer writes, the deserializer reads back: one row type covering the mapping
//! table (nested records, subarrays, tuples, strings in both modes, byte arrays, enums by name and
//! by index, f16, complex, datetimes), in both byte orders. This pins the contract between the
//! two halves of the crate.

use half::f16;
use npy_core::ByteOrder;
use npy_serde::units::{Ns, S};
use npy_serde::{from_slice, to_vec_with, Datetime64, EnumMode, Options, StringMode, Timedelta64};
use num_complex::Complex;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
enum Side {
    Buy,
    Sell,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Point {
    x: f32,
    y: f32,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Row {
    id: i64,
    small: i8,
    count: u16,
    flag: bool,
    x: f64,
    label: String,
    code: [u8; 4],
    pos: Point,
    v: [f64; 3],
    pair: (i32, String),
    side: Side,
    h: f16,
    #[serde(with = "npy_serde::complex")]
    z: Complex<f64>,
    t: Datetime64<Ns>,
    d: Timedelta64<S>,
}

fn row_strategy() -> impl Strategy<Value = Row> {
    (
        (any::<i64>(), any::<i8>(), any::<u16>(), any::<bool>()),
        (-1e300f64..1e300, "[^\u{0}]{0,6}", any::<[u8; 3]>()),
        (
            any::<(i16, i16)>(),
            any::<[i32; 3]>(),
            any::<i32>(),
            "[a-z]{0,4}",
        ),
        (
            any::<bool>(),
            any::<u16>(),
            any::<(i32, i32)>(),
            any::<i64>(),
            any::<i64>(),
        ),
    )
        .prop_map(
            |((id, small, count, flag), (x, label, code3), (p, v, a, b), (sell, h, z, t, d))| Row {
                id,
                small,
                count,
                flag,
                x,
                label,
                // A trailing NUL would be stripped on reading, as NumPy strips it.
                code: [code3[0], code3[1], code3[2], b'!'],
                pos: Point {
                    x: f32::from(p.0),
                    y: f32::from(p.1),
                },
                v: v.map(f64::from),
                pair: (a, b),
                side: if sell { Side::Sell } else { Side::Buy },
                // A non-NaN half (NaN != NaN would fail the comparison).
                h: f16::from_bits(h & 0x7bff),
                z: Complex::new(f64::from(z.0), f64::from(z.1)),
                t: Datetime64::new(t),
                d: Timedelta64::new(d),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn rows_read_back_equal(
        rows in proptest::collection::vec(row_strategy(), 1..8),
        big in any::<bool>(),
        bytes in any::<bool>(),
        index in any::<bool>(),
    ) {
        let options = Options::new()
            .byte_order(if big { ByteOrder::Big } else { ByteOrder::Little })
            .strings(if bytes { StringMode::Bytes } else { StringMode::Unicode })
            .enums(if index { EnumMode::Index } else { EnumMode::Name });
        let written = to_vec_with(&rows, &options).unwrap();
        let back: Vec<Row> = from_slice(&written).unwrap();
        prop_assert_eq!(back, rows);
    }
}

#[test]
fn plain_and_array_rows_read_back() {
    let rows = [[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let back: Vec<[f32; 3]> = from_slice(&npy_serde::to_vec(&rows).unwrap()).unwrap();
    assert_eq!(back, rows);
    let tuples = [(1i32, 2.5f64), (-3, 0.25)];
    let back: Vec<(i32, f64)> = from_slice(&npy_serde::to_vec(&tuples).unwrap()).unwrap();
    assert_eq!(back, tuples);
}
