//! Compiled rows: `#[derive(npy_serde::Record, npy_serde::RecordWrite)]` structs read and
//! written without serde's visitors.
//!
//! Reading through serde ([`crate::from_path`]) hands every field of every row to the struct's
//! visitor, one call per field, with the field's dtype checked each time: about a hundred
//! instructions a row before any byte is copied, and writing costs as much. For a struct that
//! also derives [`Record`], the derive writes a row decoder of its own: the file's columns are
//! matched to the struct's fields once, and each row is then read field by field with one
//! branch and one load (an `i64` from `'<i8'`, either byte order; `[u8; N]` from `'|S<N>'`;
//! `String` from `'|S<n>'` or `'<U<n>'`), straight into its place in the output. Whatever the
//! fast readers do not cover (widening `'<i4'` into `i64`, nested records, `Datetime64`, `Option`,
//! errors) goes through the serde deserializer for that one field, so values and errors are
//! those of [`crate::from_path`].
//!
//! [`RecordWrite`] is the same for writing: the dtype is traced through serde exactly as
//! [`crate::to_path`] traces it (so the file is the same, byte for byte `np.save`'s), and each
//! row is then encoded field by field by the derive's code, with serde's encoder for fields it
//! does not store directly (nested values, conversions to an explicit dtype, every error).
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize, npy_serde::Record, npy_serde::RecordWrite)]
//! struct Row {
//!     id: i64,
//!     x: f64,
//!     #[serde(rename = "name")]
//!     label: [u8; 8],
//! }
//!
//! let rows = vec![
//!     Row { id: 1, x: 0.5, label: *b"alpha\0\0\0" },
//!     Row { id: 2, x: -1.0, label: *b"beta\0\0\0\0" },
//! ];
//! // Byte for byte npy_serde::to_vec's file, encoded by the derive's code.
//! let bytes = npy_serde::compiled::to_vec(&rows)?;
//! assert_eq!(bytes, npy_serde::to_vec(&rows)?);
//! // Same rows as npy_serde::from_slice, decoded by the derive's code.
//! let back: Vec<Row> = npy_serde::compiled::from_slice(&bytes)?;
//! assert_eq!(back, rows);
//! # Ok::<(), npy_serde::Error>(())
//! ```
//!
//! What the derive accepts: structs with named fields and no generic parameters or
//! lifetimes, whose field types deserialize with serde (any type [`crate::from_path`] reads).
//! It honours `#[serde(rename, rename_all, alias, default, skip, skip_deserializing)]` as serde
//! does; attributes that change how a value deserializes (`with`, `deserialize_with`,
//! `flatten`, `transparent`, `from`, ...) are compile errors, never silently ignored. File
//! columns the struct lacks are skipped; a struct field the file lacks is an error ("missing
//! field") unless it has a default. Only record arrays are read (a plain `'<f8'` file is an
//! error naming [`crate::from_path`]).
//!
//! On this project's benchmark (10 million rows of five fields, BENCHMARKS.md), on two cores:
//! compiled reads take about `np.load`'s time (1.01x to 1.14x; through serde 1.8x to 2.7x),
//! compiled writes 0.93x to 1.35x `np.save`'s (through serde 1.7x to 2.4x). Reading rows with `String`
//! fields stays bound by allocating one string a row.

mod columns;
mod encode;
mod field;
mod kind;
mod run;
mod save;
#[cfg(test)]
mod test_support;

use std::path::Path;

use npy_core::ArrayView;

pub use columns::Columns;
pub use encode::{encode_plan, EncodePlan, WriteFast, WriteSerde};
pub use field::{plan, FieldPlan, Need, ViaFast, ViaSerde};
pub use kind::{AnyKind, Field, Kind, KnownKind};

use crate::error::{Error, ErrorKind, Result};
use run::Source;

/// A struct whose rows are decoded by code its derive generated: `#[derive(npy_serde::Record)]`.
///
/// Implement it with the derive only; its items are the derive's business and may change.
/// Read such rows with [`from_path`], [`from_slice`] and [`from_reader`].
pub trait Record: Sized {
    /// Matches the struct's fields to the file's columns (by name, else title).
    #[doc(hidden)]
    fn __plan(columns: &Columns) -> Result<Vec<FieldPlan>>;

    /// Decodes one row with the plan when every field has a direct read that applies, else
    /// `None` (then [`Record::__decode`] converts, or says what is wrong). Kept apart from
    /// `__decode` so the row can be built straight in its slot of the output.
    #[doc(hidden)]
    fn __fast(row: &[u8], plan: &[FieldPlan]) -> Option<Self>;

    /// Decodes one row with the plan.
    #[doc(hidden)]
    fn __decode(row: &[u8], plan: &[FieldPlan]) -> Result<Self>;
}

/// A struct whose rows are encoded by code its derive generated:
/// `#[derive(npy_serde::RecordWrite)]` (beside `serde::Serialize`).
///
/// Implement it with the derive only; its items are the derive's business and may change.
/// Write such rows with [`to_path`], [`to_vec`], [`to_writer`] and their `_with` forms.
pub trait RecordWrite: Sized {
    /// Finds each field's column in the record traced from the type (by its serialize name);
    /// `None` when the derive does not mirror the type's serialization (then serde writes).
    #[doc(hidden)]
    fn __encode_plan(columns: &Columns) -> Result<Option<Vec<EncodePlan>>>;

    /// Encodes one row into its bytes.
    #[doc(hidden)]
    fn __encode(&self, row: &mut [u8], plan: &[EncodePlan]) -> Result<()>;
}

/// A plan that does not fit the row it is used on (never expected: plans are made for the
/// file they read).
#[doc(hidden)]
#[cold]
pub fn plan_mismatch() -> Error {
    Error::new(
        ErrorKind::InvalidData,
        "internal: a compiled row's plan does not match the row",
    )
}

/// Reads every row of `.npy` bytes held in memory into compiled rows.
///
/// The same rows as [`crate::from_slice`] (which can also borrow strings from `bytes`), decoded
/// by the derive's code; 8 MiB of rows or more are decoded on every core.
///
/// # Errors
/// As [`crate::from_slice`]; also [`ErrorKind::TypeMismatch`] for an array that is not a record
/// array.
pub fn from_slice<T: Record + Send>(bytes: &[u8]) -> Result<Vec<T>> {
    let view = ArrayView::new(bytes)?;
    let source = Source::new(view.header())?;
    let mut out = npy_core::vec_with_capacity(source.count()?);
    source.decode_all(view.data(), &mut out)?;
    Ok(out)
}

/// Reads every row from a reader positioned at the start of a `.npy` stream into compiled rows,
/// leaving it after the array's data.
///
/// The same rows as [`crate::from_reader`]: the data is read in chunks of about 1 MiB, so
/// memory holds the rows and one chunk whatever the header claims (a Fortran-order array with
/// two or more non-trivial dimensions is read whole first).
///
/// # Errors
/// As [`crate::from_reader`]; also [`ErrorKind::TypeMismatch`] for an array that is not a
/// record array.
pub fn from_reader<R: std::io::Read, T: Record>(reader: R) -> Result<Vec<T>> {
    let mut reader = crate::RecordReader::<R, serde::de::IgnoredAny>::new(reader)?;
    let source = Source::new(reader.header())?;
    let mut out = Vec::new();
    if source.count()? == 0 {
        return Ok(out);
    }
    let plan = source.plan::<T>(0)?;
    let size = source.layout.row_size;
    if !source.layout.contiguous {
        source.decode_strided(&plan, reader.whole_data()?, &mut out)?;
        return Ok(out);
    }
    while let Some((rows, first, count)) = reader.next_chunk()? {
        let count = usize::try_from(count).map_err(|_| plan_mismatch())?;
        out.reserve(count);
        run::decode_rows(&plan, rows, size, first, count, &mut out)?;
    }
    Ok(out)
}

/// Reads every row of a `.npy` file into compiled rows.
///
/// The same rows as [`crate::from_path`], decoded by the derive's code: files with 8 MiB of rows
/// or more on every core, each thread reading its own rows with positioned reads. Memory holds
/// the rows plus a small chunk per thread (a Fortran-order file with two or more non-trivial
/// dimensions is read whole first).
///
/// ```no_run
/// #[derive(serde::Deserialize, npy_serde::Record)]
/// struct Row { id: i64, x: f64, y: f32, flag: bool, label: [u8; 16] }
///
/// let rows: Vec<Row> = npy_serde::compiled::from_path("rows.npy")?;
/// # Ok::<(), npy_serde::Error>(())
/// ```
///
/// # Errors
/// As [`crate::from_path`]; also [`ErrorKind::TypeMismatch`] for an array that is not a record
/// array.
pub fn from_path<T: Record + Send>(path: impl AsRef<Path>) -> Result<Vec<T>> {
    let (file, header, data_offset) = crate::read::open_checked(path.as_ref())?;
    let source = Source::new(&header)?;
    read_file(&source, &file, data_offset)
}

#[cfg(unix)]
fn read_file<T: Record + Send>(
    source: &Source,
    file: &std::fs::File,
    data_offset: u64,
) -> Result<Vec<T>> {
    use std::os::unix::fs::FileExt;

    let count = source.count()?;
    let mut out = npy_core::vec_with_capacity(count);
    let size = source.layout.row_size;
    if count == 0 {
        return Ok(out);
    }
    if !source.layout.contiguous || size == 0 {
        // Rows are spread over all of the data (or take none): read it whole. The file was
        // checked to hold it.
        let len = usize::try_from(source.data_len())
            .map_err(|_| Error::new(ErrorKind::Overflow, "the array does not fit in memory"))?;
        let mut data = vec![0u8; len];
        file.read_exact_at(&mut data, data_offset)
            .map_err(|e| Error::new(ErrorKind::Io, format!("reading array data: {e}")))?;
        source.decode_all(&data, &mut out)?;
        return Ok(out);
    }
    let threads = crate::parallel::threads_for(source.data_len());
    let make = || {
        Ok(run::FileChunks {
            plan: source.plan::<T>(0)?,
            size,
        })
    };
    crate::parallel::decode_file_with(file, data_offset, size, count, threads, &mut out, make)?;
    Ok(out)
}

/// [`from_path`]'s read where positioned reads are not available: [`from_reader`] over the
/// file from its start.
#[cfg(not(unix))]
fn read_file<T: Record + Send>(
    _source: &Source,
    mut file: &std::fs::File,
    _data_offset: u64,
) -> Result<Vec<T>> {
    use std::io::{Seek, SeekFrom};

    file.seek(SeekFrom::Start(0))
        .map_err(|e| Error::new(ErrorKind::Io, format!("reading array data: {e}")))?;
    from_reader(std::io::BufReader::new(file))
}

/// Saves compiled rows to `path`, atomically: the same file as [`crate::to_path`] (dtype traced
/// through serde, bytes identical to `np.save`'s), each row encoded by the derive's code.
///
/// ```no_run
/// #[derive(serde::Serialize, npy_serde::RecordWrite)]
/// struct Row { id: i64, x: f64, y: f32, flag: bool, label: [u8; 16] }
///
/// # let rows: Vec<Row> = Vec::new();
/// npy_serde::compiled::to_path("rows.npy", &rows)?;
/// # Ok::<(), npy_serde::Error>(())
/// ```
///
/// # Errors
/// As [`crate::to_path`].
pub fn to_path<T: RecordWrite + serde::Serialize + Sync>(
    path: impl AsRef<Path>,
    rows: &[T],
) -> Result<()> {
    save::save(path.as_ref(), rows, &crate::Options::default())
}

/// [`to_path`] with [`crate::Options`] (as [`crate::to_path_with`]).
///
/// # Errors
/// As [`crate::to_path_with`].
pub fn to_path_with<T: RecordWrite + serde::Serialize + Sync>(
    path: impl AsRef<Path>,
    rows: &[T],
    options: &crate::Options,
) -> Result<()> {
    save::save(path.as_ref(), rows, options)
}

/// Writes compiled rows to `writer` as a `.npy` stream: the same bytes as [`crate::to_writer`].
///
/// # Errors
/// As [`crate::to_writer`] (an error may leave a partial stream in `writer`; use [`to_path`]
/// for an atomic file).
pub fn to_writer<W: std::io::Write, T: RecordWrite + serde::Serialize + Sync>(
    writer: W,
    rows: &[T],
) -> Result<()> {
    save::to_writer(writer, rows, &crate::Options::default())
}

/// [`to_writer`] with [`crate::Options`] (as [`crate::to_writer_with`]).
///
/// # Errors
/// As [`crate::to_writer_with`].
pub fn to_writer_with<W: std::io::Write, T: RecordWrite + serde::Serialize + Sync>(
    writer: W,
    rows: &[T],
    options: &crate::Options,
) -> Result<()> {
    save::to_writer(writer, rows, options)
}

/// The bytes of a `.npy` file of compiled rows: the same as [`crate::to_vec`].
///
/// # Errors
/// As [`crate::to_vec`].
pub fn to_vec<T: RecordWrite + serde::Serialize + Sync>(rows: &[T]) -> Result<Vec<u8>> {
    save::to_vec(rows, &crate::Options::default())
}

/// [`to_vec`] with [`crate::Options`] (as [`crate::to_vec_with`]).
///
/// # Errors
/// As [`crate::to_vec_with`].
pub fn to_vec_with<T: RecordWrite + serde::Serialize + Sync>(
    rows: &[T],
    options: &crate::Options,
) -> Result<Vec<u8>> {
    save::to_vec(rows, options)
}
