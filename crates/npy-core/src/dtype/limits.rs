//! The size and shape limits NumPy places on a dtype, which every constructor here enforces.
//!
//! NumPy stores a dtype's itemsize and each subarray dimension in a C `int`, so no file it writes
//! can hold a larger dtype; it rejects such descrs on read ("dtype size in bytes must fit into a
//! C int"). Enforcing the same bound means every [`DType::itemsize`](super::DType::itemsize) of a
//! validated dtype fits in `usize` even on 32-bit targets, so no size arithmetic can overflow.

/// The largest itemsize, in bytes, of any dtype: `i32::MAX`, NumPy's C `int` limit.
pub const MAX_ITEMSIZE: usize = i32::MAX as usize;

/// The most dimensions a subarray shape may have (NumPy's `NPY_MAXDIMS` in 2.x).
pub const MAX_SUBARRAY_NDIM: usize = 64;

/// The deepest nesting of records and subarrays accepted (a scalar has depth 1, a record of
/// scalars 2).
///
/// NumPy itself has no fixed limit (only Python's parser and recursion limits); this bound keeps
/// every recursive walk over a dtype shallow. Each level adds at most two brackets to the descr
/// text, so the descr of any dtype within this depth nests at most 62 brackets, and the whole
/// header dict at most 63: within the header parser's default limit of 64. Real files nest a
/// handful of levels at most.
pub const MAX_NESTING_DEPTH: usize = 32;

/// The largest subarray dimension, `i32::MAX` (NumPy: "dimension does not fit into a C int").
pub(crate) const MAX_DIM: u64 = i32::MAX as u64;

/// The largest datetime unit multiplier, `i32::MAX` (NumPy stores it in a C `int`).
pub(crate) const MAX_MULTIPLIER: u64 = i32::MAX as u64;
