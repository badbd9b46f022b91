//! `npy ls`: the members of an `.npz` archive, with the dtype and shape of each `.npy` member.
//!
//! Only each member's header is read (and inflated), so listing a large archive is quick; the
//! members' CRCs are checked by `npy validate`.

use std::io::Write;
use std::path::Path;

use npy_npz::Method;
use serde::Serialize;

use crate::error::Result;
use crate::info::shape_text;
use crate::member::open_archive;

/// One member, as `npy ls` reports it; also an element of the `--json` array.
#[derive(Debug, Serialize)]
pub struct Listing {
    /// The member's file name in the archive (what `ARCHIVE:NAME` and `extract` take).
    pub name: String,
    /// The key `np.load(...)` uses: the name without `.npy`.
    pub key: String,
    /// Whether the member holds `.npy` data; `false` for other files, which np.load returns as
    /// bytes.
    pub npy: bool,
    /// The descr as the Python literal in the header; `None` for other members.
    pub descr: Option<String>,
    /// The shape; `None` for other members.
    pub shape: Option<Vec<u64>>,
    /// Whether the data is in Fortran order; `None` for other members.
    pub fortran_order: Option<bool>,
    /// `stored` or `deflated`.
    pub method: String,
    /// The member's size in bytes.
    pub size: u64,
    /// Its size in the archive.
    pub compressed_size: u64,
    /// Why the member or its `.npy` header could not be read, when it could not.
    pub error: Option<String>,
}

/// Lists the members of `path`.
///
/// # Errors
/// The archive cannot be opened or read.
pub fn run(path: &Path, json: bool, out: &mut impl Write) -> Result<()> {
    let listings = gather(path).map_err(|e| e.context(path.display()))?;
    if json {
        serde_json::to_writer(&mut *out, &listings).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let rows: Vec<[String; 5]> = listings
        .iter()
        .map(|l| {
            let (descr, shape) = match (&l.descr, &l.shape, &l.error) {
                (Some(descr), Some(shape), _) => {
                    let order = if l.fortran_order == Some(true) {
                        " F"
                    } else {
                        ""
                    };
                    (descr.clone(), format!("{}{order}", shape_text(shape)))
                }
                (_, _, Some(error)) => ("-".to_owned(), format!("(unreadable: {error})")),
                _ => ("-".to_owned(), "(not .npy data)".to_owned()),
            };
            [
                l.name.clone(),
                descr,
                shape,
                l.method.clone(),
                l.size.to_string(),
            ]
        })
        .collect();
    let titles = ["name", "descr", "shape", "method", "size"];
    let mut widths = titles.map(|t| t.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5], out: &mut dyn Write| -> std::io::Result<()> {
        writeln!(
            out,
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {:>w4$}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
        )
    };
    line(titles, out)?;
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3], &row[4]], out)?;
    }
    Ok(())
}

/// Reads the header of every member of `path`.
///
/// # Errors
/// As [`run`].
pub fn gather(path: &Path) -> Result<Vec<Listing>> {
    let mut archive = open_archive(path)?;
    let mut listings = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let entry = archive.entries()[index].clone();
        let header = archive.by_index(index).and_then(|mut m| m.read_header());
        let (parsed, error) = match header {
            Ok(parsed) => (parsed, None),
            Err(e) => (None, Some(e.to_string())),
        };
        listings.push(Listing {
            name: entry.name().to_owned(),
            key: entry.key().to_owned(),
            npy: parsed.is_some(),
            descr: parsed.as_ref().map(|p| p.header.dtype.to_string()),
            shape: parsed.as_ref().map(|p| p.header.shape.clone()),
            fortran_order: parsed.as_ref().map(|p| p.header.fortran_order),
            method: match entry.method() {
                Method::Stored => "stored".to_owned(),
                Method::Deflated => "deflated".to_owned(),
                other => other.to_string(),
            },
            size: entry.size(),
            compressed_size: entry.compressed_size(),
            error,
        });
    }
    Ok(listings)
}
