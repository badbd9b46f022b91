//! Rows of serde structs as record-array members, through npy-serde (feature `serde`).

use std::io::{Read, Seek, Write};

use npy_core::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{NpzReader, NpzWriter};

/// npy-serde's error as npy-core's (they share [`npy_core::ErrorKind`]); the message keeps the
/// row and field npy-serde names.
fn core_error(err: npy_serde::Error) -> Error {
    Error::new(err.kind(), err.to_string())
}

impl<W: Write> NpzWriter<W> {
    /// Adds `rows` as member `name + ".npy"`, a record array whose dtype npy-serde traces from
    /// the rows' type (see npy-serde's mapping table), as `np.savez` would save the same
    /// record array.
    ///
    /// ```
    /// #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    /// struct Row { id: i64, x: f64 }
    ///
    /// let rows = vec![Row { id: 1, x: 0.5 }, Row { id: 2, x: 1.5 }];
    /// let mut writer = npy_npz::NpzWriter::new(std::io::Cursor::new(Vec::new()));
    /// writer.add_rows("table", &rows)?;
    /// let bytes = writer.finish()?.into_inner();
    ///
    /// let mut archive = npy_npz::NpzReader::new(std::io::Cursor::new(bytes))?;
    /// let back: Vec<Row> = archive.read_rows("table")?;
    /// assert_eq!(back, rows);
    /// # Ok::<(), npy_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// npy-serde's errors for rows it cannot map (with the row and field), and as
    /// [`NpzWriter::add_array`].
    pub fn add_rows<T: Serialize>(&mut self, name: &str, rows: &[T]) -> Result<()> {
        self.add_rows_with(name, rows, &npy_serde::Options::default())
    }

    /// [`NpzWriter::add_rows`] with npy-serde [`npy_serde::Options`] (string widths, enum
    /// mode, an explicit dtype, ...).
    pub fn add_rows_with<T: Serialize>(
        &mut self,
        name: &str,
        rows: &[T],
        options: &npy_serde::Options,
    ) -> Result<()> {
        let bytes = npy_serde::to_vec_with(rows, options).map_err(core_error)?;
        self.add_file(&format!("{name}.npy"), &bytes)
    }
}

impl<R: Read + Seek> NpzReader<R> {
    /// Reads the record-array member `key` names as rows of `T` (npy-serde decodes it in
    /// chunks), checking the member's CRC-32.
    ///
    /// # Errors
    /// Lookup errors as [`NpzReader::by_name`]; npy-serde's errors for rows that do not match
    /// `T`; CRC and data errors as [`NpzReader::read_array`].
    pub fn read_rows<T: DeserializeOwned>(&mut self, key: &str) -> Result<Vec<T>> {
        let mut member = self.by_name(key)?;
        let name = member.name().to_owned();
        let rows = npy_serde::from_reader(&mut member).map_err(|e| {
            member
                .take_error()
                .unwrap_or_else(|| core_error(e).context(format!("member '{name}'")))
        })?;
        member.finish()?;
        Ok(rows)
    }
}
