//! Constructing [`SubArray`] dtypes with NumPy's shape and size checks.

use super::limits::{MAX_DIM, MAX_ITEMSIZE, MAX_NESTING_DEPTH, MAX_SUBARRAY_NDIM};
use super::{DType, SubArray};
use crate::error::{Error, ErrorKind, Result};

impl SubArray {
    /// Builds a subarray of `shape` elements of `base`, checked as NumPy's `dtype((base, shape))`.
    ///
    /// * `shape` has 1 to [`MAX_SUBARRAY_NDIM`] dimensions, each at most `i32::MAX` (zero allowed).
    ///   An empty shape is not a subarray: NumPy's `dtype((base, ()))` is `base` itself, which
    ///   [`DType::subarray`] returns.
    /// * The total size, `base.itemsize() * product(shape)`, is at most [`MAX_ITEMSIZE`].
    /// * `base` has a non-zero itemsize or is a record: NumPy reads `dtype(('S0', (2,)))` (and any
    ///   zero-size non-record base) as an error, "invalid itemsize in generic type tuple".
    /// * `base` may itself be a subarray: like NumPy, the two are kept nested, not merged
    ///   (`dtype((('<f8', (5,)), (2,)))` writes as `('c', ('<f8', (5,)), (2,))` in a record).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] for a bad shape or an invalid or too deeply nested base,
    /// [`ErrorKind::Overflow`] when the size exceeds the limit.
    pub fn new(base: DType, shape: Vec<u64>) -> Result<SubArray> {
        check(&base, &shape)?;
        Ok(SubArray {
            base: Box::new(base),
            shape,
        })
    }

    /// The number of base elements, `product(shape)`.
    ///
    /// Exact for a subarray built by [`SubArray::new`]; saturates at `u64::MAX` for a hand-built
    /// one that bypasses the checks.
    pub fn element_count(&self) -> u64 {
        if self.shape.contains(&0) {
            return 0;
        }
        self.shape
            .iter()
            .try_fold(1u64, |acc, &d| acc.checked_mul(d))
            .unwrap_or(u64::MAX)
    }

    /// The size in bytes, `base.itemsize() * product(shape)`.
    ///
    /// Exact for a subarray built by [`SubArray::new`]; saturates at `usize::MAX` for a hand-built
    /// one that bypasses the checks (see [`DType::validate`]).
    pub fn itemsize(&self) -> usize {
        usize::try_from(self.element_count())
            .ok()
            .and_then(|n| n.checked_mul(self.base.itemsize()))
            .unwrap_or(usize::MAX)
    }
}

impl DType {
    /// `base` repeated in `shape`, as NumPy's `dtype((base, shape))`: `base` itself when the shape
    /// is empty, otherwise a [`SubArray`] checked by [`SubArray::new`].
    ///
    /// # Errors
    ///
    /// As [`SubArray::new`].
    pub fn subarray(base: DType, shape: Vec<u64>) -> Result<DType> {
        if shape.is_empty() {
            base.validate()?;
            Ok(base)
        } else {
            SubArray::new(base, shape).map(DType::SubArray)
        }
    }
}

/// The checks of [`SubArray::new`], shared with [`DType::validate`].
pub(crate) fn check(base: &DType, shape: &[u64]) -> Result<()> {
    let invalid = |message: String| Err(Error::new(ErrorKind::InvalidArgument, message));
    if shape.is_empty() {
        return invalid("a subarray shape needs at least one dimension".to_owned());
    }
    if shape.len() > MAX_SUBARRAY_NDIM {
        return invalid(format!(
            "a subarray shape has at most {MAX_SUBARRAY_NDIM} dimensions, not {}",
            shape.len()
        ));
    }
    if let Some(dim) = shape.iter().find(|&&d| d > MAX_DIM) {
        return invalid(format!(
            "subarray dimension {dim} does not fit into a C int"
        ));
    }
    base.validate()?;
    if base.itemsize() == 0 && !matches!(base, DType::Record(_)) {
        return invalid(format!(
            "a subarray of the zero-size dtype {base} cannot be read back by NumPy \
             (invalid itemsize in generic type tuple)"
        ));
    }
    if base.depth() >= MAX_NESTING_DEPTH {
        return invalid(format!(
            "dtype nests deeper than {MAX_NESTING_DEPTH} levels"
        ));
    }
    // A zero dimension makes the size 0 whatever the others are (NumPy accepts
    // `('<f8', (2**31 - 1, 2**31 - 1, 0))`).
    let size = if shape.contains(&0) {
        Some(0)
    } else {
        shape
            .iter()
            .try_fold(base.itemsize(), |acc, &d| {
                acc.checked_mul(usize::try_from(d).ok()?)
            })
            .filter(|&size| size <= MAX_ITEMSIZE)
    };
    if size.is_none() {
        return Err(Error::new(
            ErrorKind::Overflow,
            format!(
                "subarray of shape {shape:?} is larger than {MAX_ITEMSIZE} bytes \
                 (NumPy: dtype size in bytes must fit into a C int)"
            ),
        ));
    }
    Ok(())
}
