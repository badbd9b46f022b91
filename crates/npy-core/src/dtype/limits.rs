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
/// NumPy's own limit comes from Python's parser, which refuses a header with 200 nested
/// brackets: each record level costs a list and a tuple in the descr, so NumPy reads records
/// nested 100 deep (scalar included) and refuses 101. The same bound here keeps every recursive
/// walk over a dtype shallow (a few hundred stack frames at most), and the descr of any dtype
/// within it nests at most 198 brackets, the whole header dict 199: within the header parser's
/// default limit of 200.
pub const MAX_NESTING_DEPTH: usize = 100;

/// The largest subarray dimension, `i32::MAX` (NumPy: "dimension does not fit into a C int").
pub(crate) const MAX_DIM: u64 = i32::MAX as u64;

/// The largest datetime unit multiplier, `i32::MAX` (NumPy stores it in a C `int`).
pub(crate) const MAX_MULTIPLIER: u64 = i32::MAX as u64;
