//! In-memory arrays: [`NpyArray`] holds any dtype as raw bytes, [`Array`] holds typed elements.

use std::io::Write;
use std::path::Path;

use crate::dtype::{ByteOrder, DType};
use crate::element::{check_element_dtype, Element};
use crate::error::{Error, ErrorKind, Result};
use crate::header::Header;
use crate::layout::reverse_axes;
use crate::write::{save_bytes, write_array};

/// An array of any dtype: a [`Header`] and exactly `header.data_len()` bytes in the file's layout
/// (byte order and C/Fortran order as the header says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpyArray {
    header: Header,
    data: Vec<u8>,
}

impl NpyArray {
    /// Pairs a header with its data bytes.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when `data` is not exactly `header.data_len()` bytes;
    /// [`ErrorKind::Unsupported`] for object dtypes.
    pub fn new(header: Header, data: Vec<u8>) -> Result<NpyArray> {
        header.check_data(&data)?;
        Ok(NpyArray { header, data })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The dtype.
    pub fn dtype(&self) -> &DType {
        &self.header.dtype
    }

    /// The shape.
    pub fn shape(&self) -> &[u64] {
        &self.header.shape
    }

    /// The raw data bytes, in the header's byte order and memory order.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Splits into header and data.
    pub fn into_parts(self) -> (Header, Vec<u8>) {
        (self.header, self.data)
    }

    /// Converts to typed elements in native byte order, keeping the memory order.
    ///
    /// # Errors
    /// [`ErrorKind::TypeMismatch`] when the dtype is not `T`'s (in either byte order);
    /// [`ErrorKind::InvalidData`] for bool bytes other than 0 and 1.
    pub fn into_typed<T: Element>(self) -> Result<Array<T>> {
        let swap = check_element_dtype::<T>(&self.header.dtype)?;
        let mut raw: Vec<T::Raw> =
            vec![bytemuck::Zeroable::zeroed(); self.data.len() / size_of::<T::Raw>().max(1)];
        bytemuck::cast_slice_mut::<T::Raw, u8>(&mut raw).copy_from_slice(&self.data);
        if swap {
            self.header
                .dtype
                .swap_to(ByteOrder::native(), bytemuck::cast_slice_mut(&mut raw))?;
        }
        Ok(Array {
            shape: self.header.shape,
            fortran_order: self.header.fortran_order,
            data: T::from_raw_vec(raw)?,
        })
    }

    /// Converts every scalar in the dtype, records included, to `order` (`Little` or `Big`).
    pub fn to_byte_order(mut self, order: ByteOrder) -> Result<NpyArray> {
        let dtype = self.header.dtype.swap_to(order, &mut self.data)?;
        self.header.dtype = dtype;
        Ok(self)
    }

    /// Rearranges the data into C (row-major) order.
    pub fn to_c_order(self) -> NpyArray {
        if !self.header.fortran_order {
            return self;
        }
        // A top-level subarray dtype's axes are the last axes of the array (np.load folds them
        // into the shape): reorder over all of them.
        let header = self.header.absorb_subarray();
        let reversed: Vec<u64> = header.shape.iter().rev().copied().collect();
        let data = reverse_axes(&self.data, &reversed, header.dtype.itemsize());
        NpyArray {
            header: Header {
                fortran_order: false,
                ..header
            },
            data,
        }
    }

    /// Rearranges the data into Fortran (column-major) order.
    ///
    /// The header then says `fortran_order: True`, as NumPy's would for an F-contiguous array,
    /// except for arrays that are also C-contiguous (0-d, 1-d, size 0 or 1, single non-unit axis),
    /// for which NumPy writes `False` and so do we.
    pub fn to_fortran_order(self) -> NpyArray {
        // A top-level subarray dtype's axes are the last axes of the array, and the header
        // folds them into the shape: the order and the flag are about that whole shape.
        let mut header = self.header.absorb_subarray();
        let already_both = is_c_and_f_contiguous(&header.shape);
        if header.fortran_order || already_both {
            header.fortran_order = header.fortran_order && !already_both;
            return NpyArray {
                header,
                data: self.data,
            };
        }
        let data = reverse_axes(&self.data, &header.shape, header.dtype.itemsize());
        NpyArray {
            header: Header {
                fortran_order: true,
                ..header
            },
            data,
        }
    }

    /// The exact bytes `np.save` writes for this array.
    pub fn to_npy_bytes(&self) -> Result<Vec<u8>> {
        let mut out = self.header.to_bytes()?;
        out.extend_from_slice(&self.data);
        Ok(out)
    }

    /// Writes the array as `np.save` would.
    pub fn write_to<W: Write>(&self, writer: W) -> Result<()> {
        write_array(writer, &self.header, &self.data)
    }

    /// Saves to `path` atomically (a temporary file in the same folder, renamed into place).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        save_bytes(path.as_ref(), &self.header, &self.data)
    }
}

/// True when an array of this shape is both C- and F-contiguous, so NumPy writes it as C order.
pub(crate) fn is_c_and_f_contiguous(shape: &[u64]) -> bool {
    shape.iter().product::<u64>() <= 1 || shape.iter().filter(|&&d| d != 1).count() <= 1
}

/// A typed array: a shape, a memory order, and elements in native byte order.
#[derive(Debug, Clone, PartialEq)]
pub struct Array<T> {
    shape: Vec<u64>,
    fortran_order: bool,
    data: Vec<T>,
}

impl<T: Element> Array<T> {
    /// A C-order array.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when the shape's product is not `data.len()`.
    pub fn from_vec(shape: Vec<u64>, data: Vec<T>) -> Result<Array<T>> {
        Self::with_order(shape, false, data)
    }

    /// A Fortran-order array: `data` lists the first axis fastest.
    pub fn from_vec_fortran(shape: Vec<u64>, data: Vec<T>) -> Result<Array<T>> {
        Self::with_order(shape, true, data)
    }

    fn with_order(shape: Vec<u64>, fortran_order: bool, data: Vec<T>) -> Result<Array<T>> {
        let count = crate::header::checked_product(&shape);
        if count != Some(data.len() as u64) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("shape {shape:?} does not hold {} elements", data.len()),
            ));
        }
        Ok(Array {
            shape,
            fortran_order,
            data,
        })
    }

    /// The shape.
    pub fn shape(&self) -> &[u64] {
        &self.shape
    }

    /// Whether `data()` is in Fortran order.
    pub fn is_fortran_order(&self) -> bool {
        self.fortran_order
    }

    /// The elements in memory order.
    pub fn data(&self) -> &[T] {
        &self.data
    }

    /// The elements in memory order.
    pub fn into_vec(self) -> Vec<T> {
        self.data
    }

    /// The header `np.save` writes for this array.
    pub fn header(&self) -> Header {
        Header {
            dtype: T::dtype(),
            fortran_order: self.fortran_order && !is_c_and_f_contiguous(&self.shape),
            shape: self.shape.clone(),
        }
    }

    /// Rearranges into C order.
    pub fn to_c_order(self) -> Array<T> {
        if !self.fortran_order {
            return self;
        }
        let reversed: Vec<u64> = self.shape.iter().rev().copied().collect();
        let bytes = reverse_axes(T::as_bytes(&self.data), &reversed, size_of::<T>());
        let mut raw: Vec<T::Raw> = vec![bytemuck::Zeroable::zeroed(); self.data.len()];
        bytemuck::cast_slice_mut::<T::Raw, u8>(&mut raw).copy_from_slice(&bytes);
        Array {
            shape: self.shape,
            fortran_order: false,
            data: T::from_raw_vec(raw).expect("bytes came from valid elements"),
        }
    }

    /// The exact bytes `np.save` writes for this array.
    pub fn to_npy_bytes(&self) -> Result<Vec<u8>> {
        let mut out = self.header().to_bytes()?;
        out.extend_from_slice(T::as_bytes(&self.data));
        Ok(out)
    }

    /// Writes the array as `np.save` would.
    pub fn write_to<W: Write>(&self, writer: W) -> Result<()> {
        write_array(writer, &self.header(), T::as_bytes(&self.data))
    }

    /// Saves to `path` atomically (a temporary file in the same folder, renamed into place).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        save_bytes(path.as_ref(), &self.header(), T::as_bytes(&self.data))
    }
}
