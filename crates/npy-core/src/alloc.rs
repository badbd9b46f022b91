//! Allocation of large zeroed buffers for array data.

/// A vector of `len` zeroed elements. Uses the allocator's zeroed path, so large buffers come
/// straight from fresh (already zero) pages without a memset.
pub(crate) fn zeroed_vec<T: bytemuck::Pod>(len: usize) -> Vec<T> {
    bytemuck::allocation::zeroed_vec(len)
}
