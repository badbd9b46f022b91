//! Properties of reading: random record layouts (field order, byte order, padding) read back
//! the values written into them, and damaged files (flipped bytes, truncation) give errors,
//! never panics.

mod common;

use npy_core::{ByteOrder, DType, Field, Header, Record, Scalar, ScalarKind};
use npy_serde::{from_reader, from_slice, RecordSlice};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
struct Row {
    id: i64,
    x: f64,
    small: i16,
    flag: bool,
    label: String,
    raw: [u8; 4],
    v: [f32; 2],
}

/// One field of the generated layout: its name, dtype and how a row's value is encoded.
#[derive(Debug, Clone, Copy)]
enum Col {
    Id,
    X,
    Small,
    Flag,
    Label,
    Raw,
    V,
    /// A column the struct does not have.
    Extra,
}

fn dtype_of(col: Col, big: bool) -> DType {
    let order = if big {
        ByteOrder::Big
    } else {
        ByteOrder::Little
    };
    let scalar = |kind| DType::Scalar(Scalar::new(kind, order).unwrap());
    match col {
        Col::Id => scalar(ScalarKind::Int(8)),
        Col::X => scalar(ScalarKind::Float(8)),
        Col::Small => scalar(ScalarKind::Int(2)),
        Col::Flag => scalar(ScalarKind::Bool),
        Col::Label => scalar(ScalarKind::Unicode(6)),
        Col::Raw => scalar(ScalarKind::Bytes(4)),
        Col::V => DType::subarray(scalar(ScalarKind::Float(4)), vec![2]).unwrap(),
        Col::Extra => scalar(ScalarKind::UInt(4)),
    }
}

fn name_of(col: Col) -> &'static str {
    match col {
        Col::Id => "id",
        Col::X => "x",
        Col::Small => "small",
        Col::Flag => "flag",
        Col::Label => "label",
        Col::Raw => "raw",
        Col::V => "v",
        Col::Extra => "extra",
    }
}

fn encode(col: Col, big: bool, row: &Row, out: &mut Vec<u8>) {
    macro_rules! put {
        ($v:expr) => {
            if big {
                out.extend_from_slice(&$v.to_be_bytes())
            } else {
                out.extend_from_slice(&$v.to_le_bytes())
            }
        };
    }
    match col {
        Col::Id => put!(row.id),
        Col::X => put!(row.x),
        Col::Small => put!(row.small),
        Col::Flag => out.push(u8::from(row.flag)),
        Col::Label => {
            let mut units: Vec<u32> = row.label.chars().map(u32::from).collect();
            units.resize(6, 0);
            for u in units {
                put!(u);
            }
        }
        Col::Raw => out.extend_from_slice(&row.raw),
        Col::V => {
            put!(row.v[0]);
            put!(row.v[1]);
        }
        Col::Extra => put!(0xdead_beef_u32),
    }
}

/// Builds a `.npy` file of `rows` with the columns in `order`, each with its byte order and the
/// padding before it.
fn build(rows: &[Row], layout: &[(Col, bool, usize)], fortran: bool) -> Vec<u8> {
    let mut fields = Vec::new();
    let mut offset = 0;
    for &(col, big, pad) in layout {
        offset += pad;
        let dtype = dtype_of(col, big);
        let size = dtype.itemsize();
        fields.push(Field::new(name_of(col), dtype, offset));
        offset += size;
    }
    let itemsize = offset + 3;
    let record = Record::new(fields.clone(), itemsize).unwrap();
    let mut header = Header::new(DType::Record(record), vec![rows.len() as u64]);
    if fortran && rows.len() % 2 == 0 && !rows.is_empty() {
        // Shape (2, n/2) in Fortran order: C-order row i = (i / (n/2), i % (n/2)) sits at
        // position (i % (n/2)) * 2 + i / (n/2).
        header.shape = vec![2, rows.len() as u64 / 2];
        header.fortran_order = true;
    }
    let mut out = header.to_bytes().unwrap();
    let half = rows.len() / 2;
    let order: Vec<usize> = if header.fortran_order {
        (0..rows.len()).map(|p| (p % 2) * half + p / 2).collect()
    } else {
        (0..rows.len()).collect()
    };
    for i in order {
        let start = out.len();
        for (&(col, big, _), field) in layout.iter().zip(&fields) {
            out.resize(start + field.offset, 0xAA);
            encode(col, big, &rows[i], &mut out);
        }
        out.resize(start + itemsize, 0xAA);
    }
    out
}

fn arb_row() -> impl Strategy<Value = Row> {
    (
        any::<i64>(),
        any::<f64>().prop_filter("NaN is not equal to itself", |x| !x.is_nan()),
        any::<i16>(),
        any::<bool>(),
        "[a-zé😀]{0,6}",
        any::<[u8; 4]>(),
        any::<[i16; 2]>(),
    )
        .prop_map(|(id, x, small, flag, label, raw, v)| Row {
            id,
            x,
            small,
            flag,
            label,
            raw,
            v: [f32::from(v[0]), f32::from(v[1]) / 4.0],
        })
}

fn arb_layout() -> impl Strategy<Value = Vec<(Col, bool, usize)>> {
    let cols = vec![
        Col::Id,
        Col::X,
        Col::Small,
        Col::Flag,
        Col::Label,
        Col::Raw,
        Col::V,
        Col::Extra,
    ];
    (
        Just(cols).prop_shuffle(),
        proptest::collection::vec((any::<bool>(), 0usize..4), 8),
    )
        .prop_map(|(cols, extras)| {
            cols.into_iter()
                .zip(extras)
                .map(|(c, (big, pad))| (c, big, pad))
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_layout_reads_back_the_rows(
        rows in proptest::collection::vec(arb_row(), 0..40),
        layout in arb_layout(),
        fortran in any::<bool>(),
    ) {
        let bytes = build(&rows, &layout, fortran);
        let back: Vec<Row> = from_slice(&bytes).unwrap();
        prop_assert_eq!(&back, &rows);
        let streamed: Vec<Row> = from_reader(&bytes[..]).unwrap();
        prop_assert_eq!(&streamed, &rows);
        if !rows.is_empty() {
            let slice = RecordSlice::<Row>::new(&bytes).unwrap();
            let last = rows.len() - 1;
            prop_assert_eq!(slice.get(last).unwrap(), rows[last].clone());
        }
    }

    #[test]
    fn damaged_files_never_panic(
        seed in 0usize..4,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let mut bytes = damaged_source(seed);
        for (at, value) in flips {
            let at = at % bytes.len();
            bytes[at] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut % (bytes.len() + 1));
        }
        // Errors are fine; panics are not.
        let _ = from_slice::<Row>(&bytes);
        let _ = from_slice::<serde_json::Value>(&bytes);
        let _ = from_slice::<Vec<f32>>(&bytes);
        let _ = from_slice::<(i64, f64)>(&bytes);
        let _ = from_reader::<_, Row>(&bytes[..]);
        let _ = from_reader::<_, serde_json::Value>(&bytes[..]);
        if let Ok(slice) = RecordSlice::<serde_json::Value>::new(&bytes) {
            if !slice.is_empty() {
                let _ = slice.get(slice.len() - 1);
            }
        }
    }
}

/// Valid files to damage: a record array of every column kind, a nested record with datetimes,
/// a 2-d Fortran-order plain array, and a plain array of strings.
fn damaged_source(which: usize) -> Vec<u8> {
    static SOURCES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    let sources = SOURCES.get_or_init(|| {
        let row = Row {
            id: 1,
            x: 2.0,
            small: 3,
            flag: true,
            label: "ab".into(),
            raw: *b"wxyz",
            v: [1.0, 2.0],
        };
        let layout = [
            (Col::Id, false, 0),
            (Col::X, true, 1),
            (Col::Small, false, 0),
            (Col::Flag, false, 2),
            (Col::Label, true, 0),
            (Col::Raw, false, 0),
            (Col::V, false, 1),
            (Col::Extra, true, 0),
        ];
        vec![
            build(&[row.clone(), row.clone(), row], &layout, false),
            common::np_save(
                "np.array([((1, np.datetime64('2020-01-01')), 2.5, [1, 2])], \
                 dtype=[('a', [('i', '>i2'), ('t', '<M8[D]')]), ('b', '<f8'), ('c', 'u1', (2,))])",
            ),
            common::np_save("np.asfortranarray(np.arange(12, dtype='<f4').reshape(3, 4))"),
            common::np_save("np.array(['a', 'bcd', 'é'], dtype='<U3')"),
        ]
    });
    sources[which].clone()
}
