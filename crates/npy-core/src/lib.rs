//! `npy-core`: NumPy's `.npy` format, read as NumPy reads it and written byte for byte as `np.save` writes it.
//!
//! * [`Header`] and [`DType`] model every header NumPy writes: all scalar dtypes in both byte orders,
//!   datetimes with units and multipliers, fixed-width strings, and records with padding, titles,
//!   nesting and subarrays.
//! * Reading ([`NpyReader`], [`read_path`], [`ArrayView`], [`MmapArray`]) takes versions 1.0, 2.0 and 3.0
//!   and the legacy layouts older NumPy wrote, refuses hostile input with an [`Error`], and never
//!   allocates more than the bytes actually present justify.
//! * Writing ([`write_array`], [`save`], [`StreamWriter`]) produces the exact bytes NumPy 2.x's
//!   `np.save` produces for the same array.
//!
//! # Example
//!
//! ```
//! use npy_core::{Array, read_slice};
//!
//! let array = Array::from_vec(vec![2, 3], vec![1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0])?;
//! let bytes = array.to_npy_bytes()?;
//! // The same bytes np.save(f, np.arange(1.0, 7.0).reshape(2, 3)) writes:
//! assert!(bytes.starts_with(b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"));
//!
//! let back: Array<f64> = read_slice(&bytes)?;
//! assert_eq!(back, array);
//! # Ok::<(), npy_core::Error>(())
//! ```

mod alloc;
mod array;
pub mod dtype;
mod element;
mod error;
mod file_read;
pub mod header;
mod layout;
pub mod literal;
mod mmap;
mod read;
mod stream;
mod view;
mod write;

pub use alloc::{vec_with_capacity, zeroed_vec};
pub use array::{Array, NpyArray};
pub use dtype::{
    ByteOrder, DType, DateTimeUnit, Field, Record, Scalar, ScalarKind, SubArray, TimeUnit,
};
pub use element::Element;
pub use error::{Error, ErrorKind, Result};
pub use header::{Header, ReadOptions, Version};
pub use mmap::{MmapArray, MmapArrayMut};
pub use read::{read_path, read_path_dynamic, read_slice, NpyReader};
pub use stream::{append_elements, append_rows, NpyFileWriter, StreamWriter};
pub use view::ArrayView;
pub use write::{save, save_slice, write_array, write_slice};
