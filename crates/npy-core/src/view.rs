//! Zero-copy views of `.npy` bytes already in memory (a slice or a memory map).

use crate::array::{Array, NpyArray};
use crate::dtype::ByteOrder;
use crate::element::{check_element_dtype, Element};
use crate::error::{Error, ErrorKind, Result};
use crate::header::{parse_header, Header, ParsedHeader, ReadOptions, Version};

/// A parsed header over borrowed data bytes.
///
/// ```
/// use npy_core::{Array, ArrayView};
///
/// let bytes = Array::from_vec(vec![3], vec![1.5f64, 2.5, 3.5])?.to_npy_bytes()?;
/// let view = ArrayView::new(&bytes)?;
/// // np.save puts data at a multiple of 64 bytes; a suitably aligned buffer is viewed in place.
/// # let aligned: Vec<f64> = bytemuck::cast_slice(&bytes[..]).to_vec();
/// # let view = ArrayView::new(bytemuck::cast_slice(&aligned))?;
/// assert_eq!(view.as_slice::<f64>()?, &[1.5, 2.5, 3.5]);
/// # Ok::<(), npy_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ArrayView<'a> {
    header: Header,
    version: Version,
    data_offset: u64,
    data: &'a [u8],
}

/// An owned parsed header plus the bytes it describes; [`ArrayView`] borrows from it.
#[derive(Debug, Clone)]
pub(crate) struct OwnedView {
    pub(crate) parsed: ParsedHeader,
    pub(crate) data_range: std::ops::Range<usize>,
}

impl OwnedView {
    pub(crate) fn parse(bytes: &[u8], options: &ReadOptions) -> Result<OwnedView> {
        let parsed = parse_header(bytes, options)?;
        parsed.header.require_raw_data()?;
        let len = parsed.header.data_len_usize()?;
        let start = parsed.data_offset as usize;
        let available = bytes.len().saturating_sub(start);
        if available < len {
            return Err(
                Error::eof("array data", len as u64, available as u64).at(bytes.len() as u64)
            );
        }
        Ok(OwnedView {
            data_range: start..start + len,
            parsed,
        })
    }

    pub(crate) fn view<'a>(&self, bytes: &'a [u8]) -> ArrayView<'a> {
        ArrayView {
            header: self.parsed.header.clone(),
            version: self.parsed.version,
            data_offset: self.parsed.data_offset,
            data: &bytes[self.data_range.clone()],
        }
    }
}

impl<'a> ArrayView<'a> {
    /// Parses the header at the start of `bytes` and borrows the data after it. Bytes after the
    /// data are ignored, as NumPy ignores them.
    pub fn new(bytes: &'a [u8]) -> Result<ArrayView<'a>> {
        Self::with_options(bytes, &ReadOptions::default())
    }

    /// [`ArrayView::new`] with explicit limits.
    pub fn with_options(bytes: &'a [u8], options: &ReadOptions) -> Result<ArrayView<'a>> {
        let owned = OwnedView::parse(bytes, options)?;
        Ok(ArrayView {
            header: owned.parsed.header,
            version: owned.parsed.version,
            data_offset: owned.parsed.data_offset,
            data: &bytes[owned.data_range],
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The file's format version.
    pub fn version(&self) -> Version {
        self.version
    }

    /// Where the data starts in the input.
    pub fn data_offset(&self) -> u64 {
        self.data_offset
    }

    /// The raw data bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The data as a slice of `T`, without copying.
    ///
    /// # Errors
    /// [`ErrorKind::TypeMismatch`] when the dtype is not `T`'s; [`ErrorKind::InvalidArgument`]
    /// when the data is in the other byte order or not aligned for `T` (use
    /// [`ArrayView::to_typed`], which copies); [`ErrorKind::InvalidData`] for bad bool bytes.
    pub fn as_slice<T: Element>(&self) -> Result<&'a [T]> {
        if check_element_dtype::<T>(&self.header.dtype)? {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "data is {} but this machine is {:?}-endian; use to_typed() to convert",
                    self.header.dtype,
                    ByteOrder::native()
                ),
            ));
        }
        let raw: &[T::Raw] = bytemuck::try_cast_slice(self.data).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "data at byte {} cannot be viewed as {} ({e:?}); use to_typed() to copy",
                    self.data_offset,
                    std::any::type_name::<T>()
                ),
            )
        })?;
        T::from_raw_slice(raw)
    }

    /// Copies the data into a typed array in native byte order.
    pub fn to_typed<T: Element>(&self) -> Result<Array<T>> {
        self.to_owned().into_typed()
    }

    /// Copies header and data into an owned array.
    pub fn to_owned(&self) -> NpyArray {
        NpyArray::new(self.header.clone(), self.data.to_vec())
            .expect("view was validated against its header")
    }
}
