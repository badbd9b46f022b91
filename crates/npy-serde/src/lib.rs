//! `npy-serde`: `#[derive(Serialize, Deserialize)]` structs as rows of NumPy record arrays.
//!
//! One struct is one row; its fields are the record's named columns. What Rust writes, `np.load`
//! opens as a structured array (byte for byte what `np.save` writes for the same array), and any
//! record array NumPy writes reads back into structs, matching fields by name.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize)]
//! struct Row { id: i64, x: f64, label: String }
//!
//! let rows = vec![
//!     Row { id: 1, x: 0.5, label: "alpha".into() },
//!     Row { id: 2, x: -1.25, label: "beta".into() },
//! ];
//! let bytes = npy_serde::to_vec(&rows)?;
//! // np.load(...) gives dtype([('id', '<i8'), ('x', '<f8'), ('label', '<U5')]) and shape (2,).
//! assert!(bytes[10..].starts_with(
//!     b"{'descr': [('id', '<i8'), ('x', '<f8'), ('label', '<U5')], 'fortran_order': False, 'shape': (2,), }"
//! ));
//! let back: Vec<Row> = npy_serde::from_slice(&bytes)?;
//! assert_eq!(back, rows);
//! # Ok::<(), npy_serde::Error>(())
//! ```
//!
//! * Writing: [`to_writer`], [`to_vec`], [`to_path`] (atomic), the streaming [`RecordWriter`] and
//!   [`RecordFileWriter`], [`Options`] for byte order, `U` or `S` strings, enums, widths or an
//!   explicit dtype. How each serde type maps to a dtype is the table on [`trace_dtype`].
//! * Reading: [`from_slice`] (borrows `&str` / `&[u8]` from `S` fields), [`from_reader`],
//!   [`from_path`], the streaming [`RecordReader`] (bounded memory) and [`RecordSlice`] (random
//!   access over a slice or memory map). The matching and conversion rules are on [`from_slice`].
//! * Compiled rows: a struct that also derives [`Record`] / [`RecordWrite`]
//!   (`#[derive(npy_serde::Record, npy_serde::RecordWrite)]`) gets a row decoder / encoder
//!   generated at compile time, used by [`compiled::from_path`], [`compiled::from_slice`],
//!   [`compiled::from_reader`], [`compiled::to_path`], [`compiled::to_vec`] and
//!   [`compiled::to_writer`]: the same rows, bytes and errors as the serde path, at about
//!   NumPy's own speed (see [`compiled`]).
//! * Large arrays (8 MiB of rows or more) are decoded by [`from_path`], [`from_slice`] and
//!   [`RecordSlice::to_vec`] and encoded by [`to_path`] on every core, which is why those need
//!   rows that are `Send` (reading) or `Sync` (writing); results and errors are the same as on
//!   one thread (rows in order, the first bad row's error).
//! * Errors name the row and the field path ([`Error::row`], [`Error::field`]); what cannot map
//!   (an `Option`, a `Vec`, a map, a too-long string) is an error with a hint, never a silently
//!   different file.

// The derives name `::npy_serde`; this lets the crate's own tests use them.
#[cfg(test)]
extern crate self as npy_serde;

pub mod compiled;
pub mod complex;
mod de;
mod error;
mod fill;
mod options;
mod parallel;
mod read;
mod schema;
mod ser;
pub mod tokens;
pub mod types;
mod write;

pub use error::{Error, ErrorKind, Result};
pub use types::{units, Datetime64, Timedelta64, Unit, NAT};

// --- serialization exports (owned by the ser side) ---
pub use options::{EnumMode, Options, StringMode};
pub use write::{
    to_path, to_path_with, to_vec, to_vec_with, to_writer, to_writer_with, trace_dtype,
    RecordFileWriter, RecordWriter,
};

// --- deserialization exports (owned by the de side) ---
pub use read::{from_path, from_reader, from_slice, RecordReader, RecordSlice, MAX_ZERO_SIZE_ROWS};

// --- compiled rows: the derive's own row decoder ---
pub use compiled::{Record, RecordWrite};
/// Derives [`Record`] (a compiled row decoder, see [`compiled`]) for a struct with named fields.
#[cfg(feature = "derive")]
pub use npy_serde_derive::Record;
/// Derives [`RecordWrite`] (a compiled row encoder, see [`compiled`]) for a struct with named
/// fields.
#[cfg(feature = "derive")]
pub use npy_serde_derive::RecordWrite;

/// What `#[derive(Record)]` expands to refers to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::compiled::{
        encode_plan, plan, plan_mismatch, AnyKind, Columns, EncodePlan, Field, FieldPlan, Kind,
        KnownKind, Need, ViaFast, ViaSerde, WriteFast, WriteSerde,
    };
}
