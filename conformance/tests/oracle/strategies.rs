//! proptest generators for [`Case`]s: dtypes of every kind NumPy saves, shapes, memory order,
//! element bytes, and (for NumPy-writes cases) a forced format version.
//!
//! Dtypes are built with npy-core's checked constructors, so every generated dtype is one
//! npy-core promises to handle; the generator keeps to dtypes NumPy round-trips through a
//! header (see [`record`] for the two it cannot).

use std::collections::HashSet;

use npy_core::{ByteOrder, DType, DateTimeUnit, Field, Record, ScalarKind, TimeUnit, Version};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::Case;

/// Cases for "npy-core writes, NumPy judges": any dtype in either order, plus (rarely) a top-level
/// subarray dtype, which NumPy folds into the shape.
///
/// Top-level subarrays come in C order only: NumPy has no array whose dtype is a subarray (it
/// moves the subarray into the shape on creation), so there is no Fortran-order NumPy array to
/// compare with; the C-order bytes of both are the same.
pub fn rust_writes_case() -> impl Strategy<Value = Case> {
    prop_oneof![
        12 => (dtype(), shape(), any::<bool>()),
        1 => (subarray_of(scalar()), shape(), Just(false)),
    ]
    .prop_flat_map(|(dtype, shape, fortran)| with_data(dtype, shape, fortran, None))
}

/// Cases for "NumPy writes, npy-core reads": any dtype in either order, written by `np.save` or,
/// half the time, by `write_array` with an explicit version.
pub fn numpy_writes_case() -> impl Strategy<Value = Case> {
    let version = prop_oneof![
        3 => Just(None),
        1 => Just(Some(Version::V1)),
        1 => Just(Some(Version::V2)),
        1 => Just(Some(Version::V3)),
    ];
    (dtype(), shape(), any::<bool>(), version).prop_flat_map(|(dtype, shape, fortran, version)| {
        // NumPy cannot write versions 1.0 and 2.0 (latin-1 headers) for names outside latin-1:
        // write_array raises UnicodeEncodeError. Such dtypes get the 3.0 they need.
        let version = match version {
            Some(Version::V1 | Version::V2) if needs_utf8(&dtype) => Some(Version::V3),
            v => v,
        };
        with_data(dtype, shape, fortran, version)
    })
}

/// Random element bytes for the array, made valid where a kind needs it ([`sanitize`]).
fn with_data(
    dtype: DType,
    shape: Vec<u64>,
    fortran: bool,
    version: Option<Version>,
) -> impl Strategy<Value = Case> {
    let count: u64 = shape.iter().product();
    let len = usize::try_from(count).expect("small shape") * dtype.itemsize();
    vec(any::<u8>(), len).prop_map(move |mut data| {
        let itemsize = dtype.itemsize();
        if itemsize > 0 {
            for element in data.chunks_exact_mut(itemsize) {
                sanitize(&dtype, element);
            }
        }
        Case {
            dtype: dtype.clone(),
            shape: shape.clone(),
            fortran,
            data,
            version,
        }
    })
}

/// Mostly 0 to 4 dimensions of 0 to 3 (at most 81 elements; a zero dimension one time in 13),
/// sometimes a longer axis of two or three digits (the header's spare spaces after the growth
/// axis depend on its digit count), first or last.
pub fn shape() -> impl Strategy<Value = Vec<u64>> {
    prop_oneof![
        10 => vec(prop_oneof![1 => Just(0u64), 12 => 1u64..=3], 0..=4),
        1 => (10u64..=150).prop_map(|n| vec![n]),
        1 => (1u64..=3, 10u64..=40, any::<bool>())
            .prop_map(|(short, long, long_first)| if long_first {
                vec![long, short]
            } else {
                vec![short, long]
            }),
    ]
}

/// A top-level dtype: a scalar, or a record whose fields may be records (two levels of records).
pub fn dtype() -> BoxedStrategy<DType> {
    prop_oneof![5 => scalar(), 4 => record(top_field())].boxed()
}

/// A field of a top-level record: scalars, subarrays (also of records and of subarrays), records.
fn top_field() -> BoxedStrategy<DType> {
    prop_oneof![
        5 => scalar(),
        2 => subarray_of(scalar()),
        2 => record(inner_field()),
        1 => subarray_of(record(inner_field())),
        1 => subarray_of(subarray_of(scalar())),
    ]
    .boxed()
}

/// A field of a nested record: scalars and subarrays of scalars.
fn inner_field() -> BoxedStrategy<DType> {
    prop_oneof![5 => scalar(), 2 => subarray_of(scalar())].boxed()
}

/// Every scalar kind in both byte orders (one-byte kinds, `S` and `V` become `|`).
pub fn scalar() -> BoxedStrategy<DType> {
    let order = prop_oneof![Just(ByteOrder::Little), Just(ByteOrder::Big)];
    (scalar_kind(), order)
        .prop_map(|(kind, order)| DType::scalar(kind, order).expect("a valid scalar"))
        .boxed()
}

/// Float widths NumPy has on this platform: `f16` (and `c32`) are the x86 80-bit long double
/// padded to 16 bytes, which npy-core reads with their Linux x86-64 meaning.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
const FLOAT_WIDTHS: &[u8] = &[2, 4, 8, 16];
#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
const FLOAT_WIDTHS: &[u8] = &[2, 4, 8];

fn scalar_kind() -> impl Strategy<Value = ScalarKind> {
    let int_width = || select(&[1u8, 2, 4, 8][..]);
    // A string/void width: zero sometimes (a legal, zero-size dtype), else short.
    let width = || prop_oneof![1 => Just(0usize), 4 => 1usize..=6];
    prop_oneof![
        Just(ScalarKind::Bool),
        int_width().prop_map(ScalarKind::Int),
        int_width().prop_map(ScalarKind::UInt),
        select(FLOAT_WIDTHS).prop_map(ScalarKind::Float),
        select(FLOAT_WIDTHS).prop_map(|w| ScalarKind::Complex(2 * w.max(4))),
        width().prop_map(ScalarKind::Bytes),
        width().prop_map(ScalarKind::Unicode),
        width().prop_map(ScalarKind::Void),
        time_unit().prop_map(ScalarKind::DateTime),
        time_unit().prop_map(ScalarKind::TimeDelta),
    ]
}

/// Any unit (generic included) with multiplier 1 mostly, else up to `i32::MAX`, or 0 (which
/// NumPy accepts and writes as `[0s]`).
fn time_unit() -> impl Strategy<Value = DateTimeUnit> {
    let multiplier = prop_oneof![
        6 => Just(1u64),
        3 => 2u64..=1000,
        1 => Just(0u64),
        1 => Just(i32::MAX as u64),
    ];
    (select(&TimeUnit::ALL[..]), multiplier)
        .prop_map(|(unit, m)| DateTimeUnit::new(unit, m).expect("a valid unit"))
}

/// `base` in a subarray of 1 to 3 dimensions of 0 to 3. A zero-size non-record base cannot be a
/// subarray (NumPy: "invalid itemsize in generic type tuple"), so it stays a plain field.
fn subarray_of(base: BoxedStrategy<DType>) -> BoxedStrategy<DType> {
    let dims = vec(prop_oneof![1 => Just(0u64), 6 => 1u64..=3], 1..=3);
    (base, dims)
        .prop_map(|(base, dims)| DType::subarray(base.clone(), dims).unwrap_or(base))
        .boxed()
}

/// Characters that stress the header's Python `repr` of names: quotes, backslash, controls,
/// latin-1 (written as latin-1 in a 1.0 header), characters `repr` escapes (NBSP, soft hyphen,
/// line separator, zero-width space, private use, unassigned, noncharacter), characters it keeps
/// (Greek, CJK, combining accent, astral emoji), which force a 3.0 UTF-8 header.
const NAME_CHARS: &[char] = &[
    'a', 'Z', '_', '7', ' ', '\'', '"', '\\', '\n', '\t', '\0', '\x7f', 'é', 'ÿ', '\u{a0}',
    '\u{ad}', 'λ', '中', '\u{301}', '\u{2028}', '\u{200b}', '\u{e000}', '\u{378}', '\u{ffff}',
    '😀',
];

/// A field name or title: mostly an identifier, sometimes odd characters or empty.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z][a-z0-9_]{0,6}",
        3 => vec(select(NAME_CHARS), 0..=4).prop_map(String::from_iter),
        1 => Just(String::new()),
    ]
}

/// A record of 1 to 4 fields of `field` dtypes, with optional titles, gaps before fields and a
/// trailing gap (all padding).
///
/// Kept out, because NumPy cannot round-trip them through a header: duplicate names or titles
/// (NumPy refuses them), and a void or subarray field named `''`, which `descr_to_dtype` takes
/// for padding and drops.
fn record(field: BoxedStrategy<DType>) -> BoxedStrategy<DType> {
    let gap = || prop_oneof![4 => Just(0usize), 1 => 1usize..=5];
    let entry = (name(), prop::option::weighted(0.15, name()), field, gap());
    (vec(entry, 1..=4), gap())
        .prop_map(|(entries, trailing)| {
            let mut used = HashSet::new();
            let mut end = 0usize;
            let fields: Vec<Field> = entries
                .into_iter()
                .map(|(name, title, dtype, gap)| {
                    let name = if name.is_empty() && is_void_like(&dtype) {
                        "v".to_owned()
                    } else {
                        name
                    };
                    let name = unique(name, &mut used);
                    let title = title.map(|t| unique(t, &mut used));
                    let offset = end + gap;
                    end = offset + dtype.itemsize();
                    let field = Field::new(name, dtype, offset);
                    match title {
                        Some(title) => field.with_title(title),
                        None => field,
                    }
                })
                .collect();
            DType::Record(Record::new(fields, end + trailing).expect("a valid record"))
        })
        .boxed()
}

/// NumPy's `is_pad` test minus the name: a plain void or any subarray.
fn is_void_like(dtype: &DType) -> bool {
    match dtype {
        DType::Scalar(s) => matches!(s.kind(), ScalarKind::Void(_)),
        DType::SubArray(_) => true,
        DType::Record(_) => false,
    }
}

/// `key`, lengthened until no other name or title of the record uses it.
fn unique(mut key: String, used: &mut HashSet<String>) -> String {
    while used.contains(&key) {
        key.push('~');
    }
    used.insert(key.clone());
    key
}

/// Whether a name or title anywhere in `dtype` is outside latin-1 (so only a 3.0 header holds it).
pub fn needs_utf8(dtype: &DType) -> bool {
    let wide = |s: &str| s.chars().any(|c| u32::from(c) > 0xff);
    match dtype {
        DType::Scalar(_) => false,
        DType::SubArray(sub) => needs_utf8(&sub.base),
        DType::Record(record) => record
            .fields()
            .iter()
            .any(|f| wide(&f.name) || f.title.as_deref().is_some_and(wide) || needs_utf8(&f.dtype)),
    }
}

/// Makes one element's random bytes a valid value: bools 0 or 1, `U` characters Unicode scalar
/// values (in the dtype's byte order), record padding zero. Everything else takes any bytes.
pub fn sanitize(dtype: &DType, element: &mut [u8]) {
    match dtype {
        DType::Scalar(scalar) => match scalar.kind() {
            ScalarKind::Bool => element[0] &= 1,
            ScalarKind::Unicode(_) => {
                for unit in element.chunks_exact_mut(4) {
                    let raw = u32::from_le_bytes(unit.try_into().expect("4 bytes"));
                    let c = code_point(raw);
                    let bytes = match scalar.order() {
                        ByteOrder::Big => c.to_be_bytes(),
                        _ => c.to_le_bytes(),
                    };
                    unit.copy_from_slice(&bytes);
                }
            }
            _ => {}
        },
        DType::SubArray(sub) => {
            let size = sub.base.itemsize();
            if size > 0 {
                for item in element.chunks_exact_mut(size) {
                    sanitize(&sub.base, item);
                }
            }
        }
        DType::Record(record) => {
            let mut covered = vec![false; element.len()];
            for field in record.fields() {
                let range = field.offset..field.offset + field.dtype.itemsize();
                sanitize(&field.dtype, &mut element[range.clone()]);
                covered[range].fill(true);
            }
            for (byte, covered) in element.iter_mut().zip(covered) {
                if !covered {
                    *byte = 0;
                }
            }
        }
    }
}

/// A Unicode scalar value from random bits: ASCII, two-byte, BMP or any plane, a quarter each.
fn code_point(raw: u32) -> u32 {
    let bits = raw >> 2;
    let c = match raw & 3 {
        0 => bits % 0x80,
        1 => bits % 0x800,
        2 => bits % 0x1_0000,
        _ => bits % 0x11_0000,
    };
    if (0xd800..0xe000).contains(&c) {
        c - 0xd800
    } else {
        c
    }
}
