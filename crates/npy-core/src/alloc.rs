//! Allocation of large zeroed buffers for array data.
//!
//! NumPy's allocator asks the kernel for transparent huge pages on large arrays
//! (`madvise(MADV_HUGEPAGE)`); reading 1 GiB into 4 KiB pages takes several times longer, because
//! each page is faulted in and zeroed separately. We do the same for buffers of 4 MiB and more.
//! This is one of the crate's two `unsafe` sites (the other is `mmap.rs`).
#![allow(unsafe_code)]

/// Buffers at least this large get the huge-page hint (NumPy's threshold is the same).
const HUGE_PAGE_HINT_MIN: usize = 4 << 20;

/// A vector of `len` zeroed elements, allocated as NumPy allocates arrays: large buffers come
/// straight from fresh (already zero) pages without a memset, with the transparent-huge-page
/// hint that makes filling them several times faster.
///
/// ```
/// let buffer: Vec<u64> = npy_core::zeroed_vec(1 << 20);
/// assert!(buffer.iter().all(|&x| x == 0));
/// ```
pub fn zeroed_vec<T: bytemuck::Pod>(len: usize) -> Vec<T> {
    let mut v: Vec<T> = bytemuck::allocation::zeroed_vec(len);
    let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut v);
    advise_huge_pages(bytes.as_mut_ptr() as usize, bytes.len());
    v
}

/// An empty vector with room for `capacity` elements, with the same huge-page hint for large
/// capacities: for decoders that fill a big `Vec<T>` of any `T` (rows of structs, say).
///
/// ```
/// let mut rows: Vec<(u32, String)> = npy_core::vec_with_capacity(1000);
/// rows.push((1, "a".into()));
/// assert!(rows.capacity() >= 1000);
/// ```
pub fn vec_with_capacity<T>(capacity: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(capacity);
    let spare = v.spare_capacity_mut();
    advise_huge_pages(spare.as_mut_ptr() as usize, std::mem::size_of_val(spare));
    v
}

/// Hints huge pages for the `len` bytes at address `start`, which must lie inside an allocation
/// the caller owns (only the kernel's paging policy changes; contents and validity do not).
#[cfg(target_os = "linux")]
fn advise_huge_pages(start: usize, len: usize) {
    if len < HUGE_PAGE_HINT_MIN {
        return;
    }
    const PAGE: usize = 4096;
    let aligned_start = start.next_multiple_of(PAGE);
    let end = (start + len) & !(PAGE - 1);
    if end <= aligned_start {
        return;
    }
    // SAFETY: the range [aligned_start, end) lies inside the caller's allocation (a vector's
    // elements or spare capacity, borrowed mutably by the caller) and is page aligned as madvise
    // requires. MADV_HUGEPAGE only changes how the kernel backs the
    // pages; it never changes their contents or validity. Failure (e.g. THP disabled) is
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
fn advise_huge_pages(_start: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::zeroed_vec;

    #[test]
    fn large_and_small_buffers_are_zeroed() {
        for len in [0usize, 1, 1000, (8 << 20) + 3] {
            let v: Vec<u64> = zeroed_vec(len);
            assert_eq!(v.len(), len);
            assert!(v.iter().all(|&x| x == 0));
        }
    }

    #[test]
    fn capacity_vectors_are_empty_and_usable() {
        for capacity in [0usize, 10, 1 << 20] {
            let mut v: Vec<String> = super::vec_with_capacity(capacity);
            assert!(v.is_empty() && v.capacity() >= capacity);
            v.push("x".to_string());
            assert_eq!(v, ["x"]);
        }
    }
}
