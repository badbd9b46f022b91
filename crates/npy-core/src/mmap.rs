//! Memory-mapped `.npy` files: O(1) open, zero-copy access, and writable maps like NumPy's
//! `open_memmap(mode='w+')`.
//!
//! This is the crate's only `unsafe` code: creating a map. The safety contract of a file map is
//! that no one truncates or rewrites the file while the map is alive; that is the caller's
//! promise, stated on each constructor, as with `np.memmap`.
#![allow(unsafe_code)]

use std::fs::{File, OpenOptions};
use std::path::Path;

use memmap2::{Mmap, MmapMut};

use crate::element::{check_element_dtype, Element};
use crate::error::{Error, ErrorKind, Result};
use crate::header::{Header, ReadOptions};
use crate::view::{ArrayView, OwnedView};

/// A read-only memory map of a `.npy` file.
///
/// ```no_run
/// let map = npy_core::MmapArray::open("big.npy")?;
/// let values: &[f64] = map.view().as_slice()?;
/// println!("{}", values.iter().sum::<f64>());
/// # Ok::<(), npy_core::Error>(())
/// ```
#[derive(Debug)]
pub struct MmapArray {
    map: Mmap,
    layout: OwnedView,
}

impl MmapArray {
    /// Maps `path` and parses its header.
    ///
    /// The map reflects the file: if another process truncates or rewrites the file while the
    /// map is alive, reads may see the new bytes or fault, as with NumPy's `mmap_mode='r'`.
    pub fn open(path: impl AsRef<Path>) -> Result<MmapArray> {
        Self::open_with_options(path, &ReadOptions::default())
    }

    /// [`MmapArray::open`] with explicit limits.
    pub fn open_with_options(path: impl AsRef<Path>, options: &ReadOptions) -> Result<MmapArray> {
        let path = path.as_ref();
        let file =
            File::open(path).map_err(|e| Error::io(e, &format!("opening {}", path.display())))?;
        // SAFETY: the map is read-only and private to this value; the only hazard is another
        // process changing the file underneath, which the documentation above makes the
        // caller's responsibility (the same contract as np.memmap).
        let map = unsafe { Mmap::map(&file) }
            .map_err(|e| Error::io(e, &format!("mapping {}", path.display())))?;
        let layout = OwnedView::parse(&map, options)?;
        Ok(MmapArray { map, layout })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.layout.parsed.header
    }

    /// A view of the mapped data.
    pub fn view(&self) -> ArrayView<'_> {
        self.layout.view(&self.map)
    }
}

/// A writable memory map of a `.npy` file.
#[derive(Debug)]
pub struct MmapArrayMut {
    map: MmapMut,
    layout: OwnedView,
}

impl MmapArrayMut {
    /// Creates (or truncates) `path` as a `.npy` file for `header` with zeroed data, and maps
    /// it for writing. The header bytes equal `np.save`'s for the same dtype and shape, as
    /// NumPy's `open_memmap(mode='w+')` does.
    pub fn create(path: impl AsRef<Path>, header: &Header) -> Result<MmapArrayMut> {
        header.require_raw_data()?;
        let path = path.as_ref();
        let prelude = header.to_bytes()?;
        let total = (prelude.len() as u64)
            .checked_add(header.data_len()?)
            .ok_or_else(|| Error::new(ErrorKind::Overflow, "file size overflows 64 bits"))?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(|e| Error::io(e, &format!("creating {}", path.display())))?;
        file.set_len(total)
            .map_err(|e| Error::io(e, &format!("sizing {}", path.display())))?;
        Self::map_file(&file, path, Some(&prelude))
    }

    /// Maps an existing `.npy` file for reading and writing (NumPy's `mmap_mode='r+'`).
    pub fn open(path: impl AsRef<Path>) -> Result<MmapArrayMut> {
        let path = path.as_ref();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| Error::io(e, &format!("opening {}", path.display())))?;
        Self::map_file(&file, path, None)
    }

    fn map_file(file: &File, path: &Path, prelude: Option<&[u8]>) -> Result<MmapArrayMut> {
        // SAFETY: as for MmapArray::open; in addition, writes through the map go to the file,
        // which is this value's purpose.
        let mut map = unsafe { MmapMut::map_mut(file) }
            .map_err(|e| Error::io(e, &format!("mapping {}", path.display())))?;
        if let Some(prelude) = prelude {
            map[..prelude.len()].copy_from_slice(prelude);
        }
        let layout = OwnedView::parse(&map, &ReadOptions::default())?;
        Ok(MmapArrayMut { map, layout })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.layout.parsed.header
    }

    /// A read-only view of the data.
    pub fn view(&self) -> ArrayView<'_> {
        self.layout.view(&self.map)
    }

    /// The raw data bytes, writable.
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.map[self.layout.data_range.clone()]
    }

    /// The data as a writable slice of `T` (native byte order and aligned; bool excluded since
    /// arbitrary bytes written through `u8` would break it).
    pub fn as_mut_slice<T: Element + bytemuck::Pod>(&mut self) -> Result<&mut [T]> {
        if check_element_dtype::<T>(&self.layout.parsed.header.dtype)? {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "mapped data is not in this machine's byte order",
            ));
        }
        bytemuck::try_cast_slice_mut(self.data_mut()).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "mapped data is not aligned for {}: {e:?}",
                    std::any::type_name::<T>()
                ),
            )
        })
    }

    /// Flushes written data to the file.
    pub fn flush(&self) -> Result<()> {
        self.map
            .flush()
            .map_err(|e| Error::io(e, "flushing memory map"))
    }
}
