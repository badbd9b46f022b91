//! Decoding compiled rows: the plan of a type over a file, and the row loops.

use std::ops::Range;

use npy_core::{DType, Header};
use serde::de::IgnoredAny;

use super::columns::Columns;
use super::field::FieldPlan;
use super::Record;
use crate::de::rows::{Layout, RowSink, Rows};
use crate::error::{Error, ErrorKind, Result};
use crate::fill::{fill_in_parallel, Slots};
use crate::parallel::{incomplete, threads_for};
use crate::read::{too_many_empty_rows, MAX_ZERO_SIZE_ROWS};

/// A file's rows as compiled rows see them: its record dtype and where rows are.
pub(crate) struct Source {
    header: Header,
    pub(crate) layout: Layout,
}

impl Source {
    /// Checks the header describes a record array (the only kind compiled rows read) and finds
    /// its rows.
    pub(crate) fn new(header: &Header) -> Result<Source> {
        let header = header.clone().absorb_subarray();
        // Refuses object arrays and finds the layout; `IgnoredAny` never asks for blocks.
        let layout = Rows::new::<IgnoredAny>(&header)?.layout;
        if !matches!(header.dtype, DType::Record(_)) {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                format!(
                    "compiled rows read record arrays; this file's dtype is {}: read it with \
                     npy_serde::from_path or from_slice",
                    header.dtype.descr()
                ),
            ));
        }
        if layout.row_size == 0 && layout.rows > MAX_ZERO_SIZE_ROWS {
            return Err(too_many_empty_rows(layout.rows));
        }
        Ok(Source { header, layout })
    }

    /// Number of rows, as a `usize`.
    pub(crate) fn count(&self) -> Result<usize> {
        usize::try_from(self.layout.rows).map_err(|_| {
            Error::new(
                ErrorKind::Overflow,
                "more rows than fit in this machine's memory",
            )
        })
    }

    /// Bytes of row data.
    pub(crate) fn data_len(&self) -> u64 {
        self.layout.rows * self.layout.row_size as u64
    }

    /// The plan of `T` over this file (per thread: plans hold per-thread state). A field the
    /// file lacks is reported at `first_row`, where the serde path would meet it.
    pub(crate) fn plan<T: Record>(&self, first_row: u64) -> Result<Vec<FieldPlan>> {
        let DType::Record(record) = &self.header.dtype else {
            unreachable!("Source::new admits records only");
        };
        let columns = Columns::new(record);
        debug_assert_eq!(columns.itemsize(), self.layout.row_size);
        T::__plan(&columns).map_err(|e| e.at_row(first_row))
    }

    /// Decodes every row of `data` (the array's data) onto `out`, on every core when it is
    /// large and contiguous.
    pub(crate) fn decode_all<T: Record + Send>(&self, data: &[u8], out: &mut Vec<T>) -> Result<()> {
        let count = self.count()?;
        if count == 0 {
            return Ok(());
        }
        let size = self.layout.row_size;
        if !self.layout.contiguous {
            return self.decode_strided(&self.plan::<T>(0)?, data, out);
        }
        let threads = threads_for(self.data_len());
        fill_in_parallel(
            out,
            count,
            threads,
            |range: Range<usize>, slots: &mut Slots<'_, T>| {
                let plan = self.plan::<T>(range.start as u64)?;
                let bytes = data
                    .get(range.start * size..range.end * size)
                    .ok_or_else(super::plan_mismatch)?;
                decode_rows(&plan, bytes, size, range.start as u64, range.len(), slots)
            },
            incomplete,
        )
    }

    /// Decodes every row of `data` (the whole array's data, rows gathered through strides: a
    /// Fortran-order file) onto `out`, on this thread.
    pub(crate) fn decode_strided<T: Record>(
        &self,
        plan: &[FieldPlan],
        data: &[u8],
        out: &mut Vec<T>,
    ) -> Result<()> {
        for i in 0..self.layout.rows {
            let row = row_at(data, self.layout.offset(i), self.layout.row_size)?;
            out.push(T::__decode(row, plan).map_err(|e| e.at_row(i))?);
        }
        Ok(())
    }
}

/// The row of `size` bytes at byte `at`.
fn row_at(data: &[u8], at: usize, size: usize) -> Result<&[u8]> {
    data.get(at..)
        .and_then(|rest| rest.get(..size))
        .ok_or_else(super::plan_mismatch)
}

/// Decodes the `count` rows of `size` bytes in `data` (row indices from `first`) onto `out`.
#[inline(never)]
pub(crate) fn decode_rows<T: Record, S: RowSink<T>>(
    plan: &[FieldPlan],
    data: &[u8],
    size: usize,
    first: u64,
    count: usize,
    out: &mut S,
) -> Result<()> {
    if size == 0 {
        for i in 0..count {
            out.push_row(T::__decode(&[], plan).map_err(|e| e.at_row(first + i as u64))?);
        }
        return Ok(());
    }
    let rows = data.chunks_exact(size).take(count).enumerate();
    if !super::field::all_direct(plan) {
        // Some field is always read through serde: the fast path would fail on every row.
        for (i, row) in rows {
            out.push_row(T::__decode(row, plan).map_err(|e| e.at_row(first + i as u64))?);
        }
        return Ok(());
    }
    for (i, row) in rows {
        match T::__fast(row, plan) {
            Some(value) => out.push_row(value),
            None => out.push_row(T::__decode(row, plan).map_err(|e| e.at_row(first + i as u64))?),
        }
    }
    Ok(())
}

/// The decoder of one thread of a file read ([`crate::parallel::decode_file_with`]).
#[cfg(unix)]
pub(crate) struct FileChunks {
    pub(crate) plan: Vec<FieldPlan>,
    pub(crate) size: usize,
}

#[cfg(unix)]
impl<T: Record> crate::parallel::ChunkDecoder<T> for FileChunks {
    fn decode(
        &mut self,
        chunk: &[u8],
        first: u64,
        count: u64,
        out: &mut Slots<'_, T>,
    ) -> Result<()> {
        decode_rows(&self.plan, chunk, self.size, first, count as usize, out)
    }
}
