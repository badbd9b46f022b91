//! Moving elements between C (row-major) and Fortran (column-major) order.
//!
//! Data in Fortran order with shape `(a, b, c)` has the same bytes as C-order data with shape
//! `(c, b, a)`; converting either way is a reversal of the axes. The copy walks the output in
//! order and gathers each innermost run with a fixed source stride.

/// Reverses the axes of `src`, a C-order array of `shape` with items of `itemsize` bytes,
/// returning the C-order bytes of the reversed-shape array.
///
/// Converting Fortran-order data of shape `s` to C order is `reverse_axes(data, reversed(s))`;
/// converting C-order data of shape `s` to Fortran order is `reverse_axes(data, s)`.
pub(crate) fn reverse_axes(src: &[u8], shape: &[u64], itemsize: usize) -> Vec<u8> {
    debug_assert_eq!(
        src.len() as u64,
        shape.iter().product::<u64>() * itemsize as u64
    );
    if shape.len() < 2 || src.is_empty() || itemsize == 0 {
        return src.to_vec();
    }
    // Output shape is shape reversed; output axis k corresponds to input axis n-1-k, whose
    // C-order stride in the input is the product of the input dims after it.
    let n = shape.len();
    let dims: Vec<usize> = shape.iter().rev().map(|&d| d as usize).collect();
    let mut in_strides = vec![0usize; n];
    let mut stride = itemsize;
    for axis in (0..n).rev() {
        in_strides[n - 1 - axis] = stride;
        stride *= shape[axis] as usize;
    }
    let mut out = Vec::with_capacity(src.len());
    let inner_len = dims[n - 1];
    let inner_stride = in_strides[n - 1];
    let mut index = vec![0usize; n - 1];
    loop {
        let base: usize = index.iter().zip(&in_strides).map(|(&i, &s)| i * s).sum();
        match itemsize {
            8 => gather::<8>(&mut out, src, base, inner_stride, inner_len),
            4 => gather::<4>(&mut out, src, base, inner_stride, inner_len),
            2 => gather::<2>(&mut out, src, base, inner_stride, inner_len),
            1 => gather::<1>(&mut out, src, base, inner_stride, inner_len),
            _ => {
                for i in 0..inner_len {
                    let at = base + i * inner_stride;
                    out.extend_from_slice(&src[at..at + itemsize]);
                }
            }
        }
        // Odometer over the outer output axes.
        let mut axis = n - 1;
        loop {
            if axis == 0 {
                return out;
            }
            axis -= 1;
            index[axis] += 1;
            if index[axis] < dims[axis] {
                break;
            }
            index[axis] = 0;
        }
    }
}

fn gather<const N: usize>(out: &mut Vec<u8>, src: &[u8], base: usize, stride: usize, len: usize) {
    for i in 0..len {
        let at = base + i * stride;
        let item: [u8; N] = src[at..at + N].try_into().expect("N bytes");
        out.extend_from_slice(&item);
    }
}

#[cfg(test)]
mod tests {
    use super::reverse_axes;

    #[test]
    fn transposes_2d() {
        // C-order [[0, 1, 2], [3, 4, 5]] -> its transpose in C order.
        let src: Vec<u8> = (0..6).collect();
        assert_eq!(reverse_axes(&src, &[2, 3], 1), vec![0, 3, 1, 4, 2, 5]);
    }

    #[test]
    fn round_trips_3d_with_wide_items() {
        let shape = [2u64, 3, 4];
        let src: Vec<u8> = (0..24u8).flat_map(|i| [i, 100 + i, 200]).collect();
        let reversed = reverse_axes(&src, &shape, 3);
        assert_ne!(reversed, src);
        assert_eq!(reverse_axes(&reversed, &[4, 3, 2], 3), src);
        // Element (i, j, k) of the input is element (k, j, i) of the output.
        let at = |i: usize, j: usize, k: usize| (i * 12 + j * 4 + k) * 3;
        let out_at = |k: usize, j: usize, i: usize| (k * 6 + j * 2 + i) * 3;
        assert_eq!(
            reversed[out_at(3, 1, 1)..out_at(3, 1, 1) + 3],
            src[at(1, 1, 3)..at(1, 1, 3) + 3]
        );
    }
}
