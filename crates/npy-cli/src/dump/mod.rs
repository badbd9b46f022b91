//! `npy dump`: the values of an array in C order, as text, JSON or CSV.
//!
//! C-order data streams from the file one element at a time, so `npy dump huge.npy | head` and
//! `--limit` read only what they print. Fortran-order data is read whole and reordered first.

mod csv;
pub mod json;
mod text;

use std::io::{BufRead, Cursor, Read, Write};
use std::path::Path;

use clap::ValueEnum;
use npy_core::{Header, NpyArray};

use crate::error::{CliError, Result};
use crate::open::NpyFile;

/// The output formats of `npy dump`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One element per line, prefixed with its index.
    Text,
    /// One JSON object with the header and the values nested by shape.
    Json,
    /// A header row, then one row per element (per row for 2-D arrays).
    Csv,
}

/// Prints the values of `path` in `format`, at most `limit` elements.
///
/// # Errors
/// The file is not a readable `.npy` (bad header, truncated data, object dtype), or writing fails.
pub fn run(path: &Path, format: Format, limit: Option<u64>, out: &mut impl Write) -> Result<()> {
    let context = |e: CliError| e.context(path.display());
    let file = NpyFile::open(path).map_err(context)?;
    file.require_readable().map_err(context)?;
    let header = file.header().clone();
    let mut elements = Elements::new(file, &header).map_err(context)?;
    match format {
        Format::Text => text::write(&header, &mut elements, limit, out),
        Format::Json => json::write(&header, &mut elements, limit, out),
        Format::Csv => csv::write(&header, &mut elements, limit, out),
    }
    .map_err(context)
}

/// The elements of an array in C order, one item's bytes at a time.
pub struct Elements<'a> {
    source: Box<dyn BufRead + 'a>,
    item: Vec<u8>,
    read: u64,
    total: u64,
}

impl Elements<'static> {
    /// Positions at the first element, reordering Fortran-order data into C order.
    fn new(file: NpyFile, header: &Header) -> Result<Elements<'static>> {
        let total = header.element_count()?;
        let source: Box<dyn BufRead> = if header.fortran_order {
            let array = file.into_reader().read_array()?.to_c_order();
            Box::new(Cursor::new(array.into_parts().1))
        } else {
            file.into_data()
        };
        Ok(Elements::with_source(source, header, total))
    }
}

impl<'a> Elements<'a> {
    /// The elements of the array `header` describes, whose data `source` holds from its next
    /// byte. `available` is how many bytes the source holds, when known: Fortran-order data is
    /// read whole (to be reordered into C order) into one allocation of that size, not more.
    ///
    /// # Errors
    /// For Fortran-order data: the source ends before the data does, or reading it fails.
    pub fn from_reader(
        mut source: Box<dyn BufRead + 'a>,
        header: &Header,
        available: Option<u64>,
    ) -> Result<Elements<'a>> {
        let total = header.element_count()?;
        if !header.fortran_order {
            return Ok(Elements::with_source(source, header, total));
        }
        let len = header.data_len()?;
        // Grows only as bytes arrive, so a header promising more than the source holds costs
        // no more memory than the source.
        let mut data = Vec::with_capacity(available.map_or(0, |n| n.min(len)) as usize);
        source
            .by_ref()
            .take(len)
            .read_to_end(&mut data)
            .map_err(|e| CliError::io(e, "reading data"))?;
        if (data.len() as u64) < len {
            return Err(crate::open::truncated(len, data.len() as u64));
        }
        let array = NpyArray::new(header.clone(), data)?.to_c_order();
        Ok(Elements::with_source(
            Box::new(Cursor::new(array.into_parts().1)),
            header,
            total,
        ))
    }

    fn with_source(source: Box<dyn BufRead + 'a>, header: &Header, total: u64) -> Elements<'a> {
        Elements {
            source,
            item: vec![0; header.dtype.itemsize()],
            read: 0,
            total,
        }
    }

    /// The bytes of the next element.
    ///
    /// # Errors
    /// The data ends early (possible only for inputs whose length was not known up front).
    pub fn next_item(&mut self) -> Result<&[u8]> {
        match self.source.read_exact(&mut self.item) {
            Ok(()) => {
                self.read += 1;
                Ok(&self.item)
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(CliError::msg(format!(
                "data ends after {} of {} elements",
                self.read, self.total
            ))),
            Err(e) => Err(CliError::io(e, "reading data")),
        }
    }
}

/// A C-order index over a shape, advanced one element at a time.
#[derive(Debug, Clone)]
pub struct Index {
    dims: Vec<u64>,
    index: Vec<u64>,
}

impl Index {
    /// The index of the first element of `shape`.
    pub fn new(shape: &[u64]) -> Index {
        Index {
            dims: shape.to_vec(),
            index: vec![0; shape.len()],
        }
    }

    /// The current index.
    pub fn current(&self) -> &[u64] {
        &self.index
    }

    /// Moves to the next element in C order, returning how many axes rolled over (the inner
    /// lists that ended: 0 within a row, 1 at the end of a row, ...).
    pub fn advance(&mut self) -> usize {
        let mut rolled = 0;
        for axis in (0..self.index.len()).rev() {
            self.index[axis] += 1;
            if axis == 0 || self.index[axis] < self.dims[axis] {
                break;
            }
            self.index[axis] = 0;
            rolled += 1;
        }
        rolled
    }
}

#[cfg(test)]
mod tests {
    use super::Index;

    #[test]
    fn index_rolls_over_in_c_order() {
        let mut index = Index::new(&[2, 2, 2]);
        let mut seen = vec![(index.current().to_vec(), 0)];
        for _ in 0..7 {
            let rolled = index.advance();
            seen.push((index.current().to_vec(), rolled));
        }
        let rolled: Vec<usize> = seen.iter().map(|(_, r)| *r).collect();
        assert_eq!(rolled, [0, 0, 1, 0, 2, 0, 1, 0]);
        assert_eq!(seen[5].0, [1, 0, 1]);
    }
}
