//! Converting a buffer of elements between byte orders, as NumPy's `byteswap` does per scalar.

use super::{ByteOrder, DType, ScalarKind};
use crate::error::{Error, ErrorKind, Result};

/// The most swap runs one element's plan may hold before falling back to a per-element walk.
const MAX_PLAN_RUNS: usize = 4096;

/// `count` consecutive values of `unit` bytes, starting `offset` bytes into an element.
#[derive(Debug, Clone, Copy)]
struct Run {
    offset: usize,
    unit: usize,
    count: usize,
}

impl DType {
    /// Rewrites `data`, a buffer of whole elements of this dtype, into byte order `target`
    /// (`Little` or `Big`), and returns the dtype describing the result
    /// ([`DType::with_byte_order`]).
    ///
    /// Every scalar whose order differs from `target` is reversed in place, as NumPy's
    /// `byteswap` does: integers, floats and datetimes as one value; each half of a complex
    /// separately; each 4-byte code unit of `U`; the full 16 bytes of an `f16` long double (and
    /// each 16-byte half of `c32`). Bytes of `b1`, `i1`, `u1`, `S`, `V` and `O` and record padding
    /// are left untouched.
    ///
    /// A buffer of one scalar type (or a subarray or packed record of one swap width) is swapped
    /// in a single pass over `data`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] when `target` is `NotApplicable` or `data` is not a whole
    /// number of elements (a zero-itemsize dtype accepts only an empty buffer); the errors of
    /// [`DType::validate`] for a hand-built invalid subarray.
    pub fn swap_to(&self, target: ByteOrder, data: &mut [u8]) -> Result<DType> {
        if target == ByteOrder::NotApplicable {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "cannot swap to byte order '|': the target must be little or big endian",
            ));
        }
        self.validate()?;
        let itemsize = self.itemsize();
        let whole = if itemsize == 0 {
            data.is_empty()
        } else {
            data.len() % itemsize == 0
        };
        if !whole {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "a buffer of {} bytes is not a whole number of {itemsize}-byte elements",
                    data.len()
                ),
            ));
        }
        if itemsize > 0 {
            let mut runs = Vec::new();
            if plan(self, 0, target, &mut runs) {
                apply_plan(&runs, itemsize, data);
            } else {
                for element in data.chunks_exact_mut(itemsize) {
                    swap_element(self, target, element);
                }
            }
        }
        Ok(self.with_byte_order(target))
    }
}

/// The swap width and count of a scalar kind: `None` for kinds without a byte order.
fn swap_units(kind: ScalarKind) -> Option<(usize, usize)> {
    match kind {
        ScalarKind::Int(w) | ScalarKind::UInt(w) | ScalarKind::Float(w) if w > 1 => {
            Some((usize::from(w), 1))
        }
        ScalarKind::Complex(w) => Some((usize::from(w / 2), 2)),
        ScalarKind::Unicode(n) => Some((4, n)),
        ScalarKind::DateTime(_) | ScalarKind::TimeDelta(_) => Some((8, 1)),
        _ => None,
    }
}

/// Appends a run, merging it into the previous one when contiguous with the same width.
fn push_run(runs: &mut Vec<Run>, run: Run) {
    if run.count == 0 {
        return;
    }
    if let Some(last) = runs.last_mut() {
        if last.unit == run.unit && last.offset + last.unit * last.count == run.offset {
            last.count += run.count;
            return;
        }
    }
    runs.push(run);
}

/// Collects the runs to swap in one element of `dtype` placed at `offset`; false when the plan
/// would exceed [`MAX_PLAN_RUNS`].
fn plan(dtype: &DType, offset: usize, target: ByteOrder, runs: &mut Vec<Run>) -> bool {
    match dtype {
        DType::Scalar(s) => {
            if s.order() != ByteOrder::NotApplicable && s.order() != target {
                if let Some((unit, count)) = swap_units(s.kind()) {
                    push_run(
                        runs,
                        Run {
                            offset,
                            unit,
                            count,
                        },
                    );
                }
            }
        }
        DType::Record(r) => {
            for field in r.fields() {
                if !plan(&field.dtype, offset + field.offset, target, runs) {
                    return false;
                }
            }
        }
        DType::SubArray(sub) => {
            let mut inner = Vec::new();
            if !plan(&sub.base, 0, target, &mut inner) {
                return false;
            }
            if inner.is_empty() {
                return true;
            }
            // A base with something to swap has a non-zero size, and the subarray is validated,
            // so the element count fits in usize.
            let step = sub.base.itemsize();
            let Ok(count) = usize::try_from(sub.element_count()) else {
                return false;
            };
            if let [single] = inner.as_slice() {
                if single.offset == 0 && single.unit * single.count == step {
                    push_run(
                        runs,
                        Run {
                            offset,
                            unit: single.unit,
                            count: single.count * count,
                        },
                    );
                    return runs.len() <= MAX_PLAN_RUNS;
                }
            }
            if inner.len().saturating_mul(count) > MAX_PLAN_RUNS {
                return false;
            }
            for i in 0..count {
                for run in &inner {
                    push_run(
                        runs,
                        Run {
                            offset: offset + i * step + run.offset,
                            ..*run
                        },
                    );
                }
            }
        }
    }
    runs.len() <= MAX_PLAN_RUNS
}

/// Applies a plan to every element of `data`, in one pass when it covers whole elements.
fn apply_plan(runs: &[Run], itemsize: usize, data: &mut [u8]) {
    match runs {
        [] => {}
        [run] if run.offset == 0 && run.unit * run.count == itemsize => swap_all(data, run.unit),
        _ => {
            for element in data.chunks_exact_mut(itemsize) {
                for run in runs {
                    if let Some(bytes) =
                        element.get_mut(run.offset..run.offset + run.unit * run.count)
                    {
                        swap_all(bytes, run.unit);
                    }
                }
            }
        }
    }
}

/// Swaps one element by walking the dtype (for layouts too large to plan).
fn swap_element(dtype: &DType, target: ByteOrder, element: &mut [u8]) {
    match dtype {
        DType::Scalar(s) => {
            if s.order() != ByteOrder::NotApplicable && s.order() != target {
                if let Some((unit, _)) = swap_units(s.kind()) {
                    swap_all(element, unit);
                }
            }
        }
        DType::Record(r) => {
            for field in r.fields() {
                let end = field.offset + field.dtype.itemsize();
                if let Some(bytes) = element.get_mut(field.offset..end) {
                    swap_element(&field.dtype, target, bytes);
                }
            }
        }
        DType::SubArray(sub) => {
            let step = sub.base.itemsize();
            if step > 0 && needs_swap(&sub.base, target) {
                for item in element.chunks_exact_mut(step) {
                    swap_element(&sub.base, target, item);
                }
            }
        }
    }
}

/// Whether any scalar inside `dtype` would be swapped for `target`.
fn needs_swap(dtype: &DType, target: ByteOrder) -> bool {
    match dtype {
        DType::Scalar(s) => {
            s.order() != ByteOrder::NotApplicable
                && s.order() != target
                && swap_units(s.kind()).is_some_and(|(_, count)| count > 0)
        }
        DType::Record(r) => r.fields().iter().any(|f| needs_swap(&f.dtype, target)),
        DType::SubArray(sub) => needs_swap(&sub.base, target),
    }
}

/// Reverses every `unit`-byte value in `bytes` (a multiple of `unit` long).
fn swap_all(bytes: &mut [u8], unit: usize) {
    match unit {
        2 => swap_each::<2>(bytes, |b| u16::from_ne_bytes(b).swap_bytes().to_ne_bytes()),
        4 => swap_each::<4>(bytes, |b| u32::from_ne_bytes(b).swap_bytes().to_ne_bytes()),
        8 => swap_each::<8>(bytes, |b| u64::from_ne_bytes(b).swap_bytes().to_ne_bytes()),
        16 => swap_each::<16>(bytes, |b| u128::from_ne_bytes(b).swap_bytes().to_ne_bytes()),
        _ => {
            for value in bytes.chunks_exact_mut(unit) {
                value.reverse();
            }
        }
    }
}

/// Applies `swap` to each `N`-byte chunk; a tight loop over fixed-size arrays that the compiler
/// turns into vector shuffles.
#[inline(always)]
fn swap_each<const N: usize>(bytes: &mut [u8], swap: impl Fn([u8; N]) -> [u8; N]) {
    for chunk in bytes.chunks_exact_mut(N) {
        if let Ok(value) = <&mut [u8; N]>::try_from(chunk) {
            *value = swap(*value);
        }
    }
}
