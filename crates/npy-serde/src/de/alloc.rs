//! The vector rows are decoded into, with NumPy's huge-page hint.
//!
//! NumPy asks the kernel for transparent huge pages on large arrays (`madvise(MADV_HUGEPAGE)`);
//! on a machine whose THP mode is `madvise`, a vector of a few hundred megabytes filled without
//! the hint spends more time in 4 KiB page faults than in decoding. npy-core does the same for
//! its buffers; this is its counterpart for a `Vec<T>` of rows, and the crate's only `unsafe`.
#![allow(unsafe_code)]

/// Vectors of at least this many bytes get the hint (NumPy's threshold is the same).
#[cfg(target_os = "linux")]
const HUGE_PAGE_HINT_MIN: usize = 4 << 20;

/// `Vec::with_capacity(capacity)`, with the huge-page hint when it is large.
pub(crate) fn rows_vec<T>(capacity: usize) -> Vec<T> {
    let mut rows = Vec::with_capacity(capacity);
    advise_huge_pages(&mut rows);
    rows
}

#[cfg(target_os = "linux")]
fn advise_huge_pages<T>(rows: &mut Vec<T>) {
    let spare = rows.spare_capacity_mut();
    let len = std::mem::size_of_val(spare);
    if len < HUGE_PAGE_HINT_MIN {
        return;
    }
    const PAGE: usize = 4096;
    let start = spare.as_mut_ptr() as usize;
    let aligned_start = start.next_multiple_of(PAGE);
    let end = (start + len) & !(PAGE - 1);
    if end <= aligned_start {
        return;
    }
    // SAFETY: [aligned_start, end) lies inside the vector's allocation, which we borrow
    // mutably, and is page aligned as madvise requires. MADV_HUGEPAGE only changes how the
    // kernel backs the pages, never their contents or validity; a failure (THP disabled) is
    // harmless and ignored.
    unsafe {
        libc::madvise(
            aligned_start as *mut libc::c_void,
            end - aligned_start,
            libc::MADV_HUGEPAGE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages<T>(_rows: &mut Vec<T>) {}
