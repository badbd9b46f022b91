//! Reading and writing paths of npy-core that the NumPy golden files do not reach: streaming,
//! appending, memory maps, atomic saves, order and byte-order conversion, bounded reads.

use std::io::{Cursor, Read};

use npy_core::{
    append_elements, append_rows, read_path, read_path_dynamic, read_slice, Array, ArrayView,
    ByteOrder, DType, Element, ErrorKind, Header, MmapArray, MmapArrayMut, NpyFileWriter,
    NpyReader, Scalar, ScalarKind, StreamWriter,
};
use proptest::prelude::*;
use rstest::rstest;

fn f64_array(shape: Vec<u64>) -> Array<f64> {
    let n: u64 = shape.iter().product();
    Array::from_vec(shape, (0..n).map(|i| i as f64 * 0.5 - 3.0).collect()).unwrap()
}

#[rstest]
#[case(0)]
#[case(1)]
#[case(7)]
#[case(1000)]
fn stream_writer_output_equals_whole_array_save(#[case] rows: u64) {
    let whole = f64_array(vec![rows, 3]);
    let mut writer = StreamWriter::new(Cursor::new(Vec::new()), f64::dtype(), vec![3]).unwrap();
    // Uneven chunks that split rows.
    let bytes: Vec<u8> = whole.data().iter().flat_map(|v| v.to_ne_bytes()).collect();
    for chunk in bytes.chunks(40) {
        writer.write_bytes(chunk).unwrap();
    }
    assert_eq!(writer.rows(), rows);
    let out = writer.finish().unwrap().into_inner();
    assert_eq!(out, whole.to_npy_bytes().unwrap());
}

#[test]
fn abandoned_stream_is_rejected_by_readers() {
    let mut cursor = Cursor::new(Vec::new());
    {
        let mut w = StreamWriter::new(&mut cursor, i32::dtype(), vec![]).unwrap();
        w.write_elements(&[1i32, 2, 3]).unwrap();
        drop(w);
    }
    let err = read_slice::<i32>(cursor.get_ref()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadMagic);
}

#[test]
fn stream_writer_refuses_partial_rows_and_wrong_types() {
    let mut writer = StreamWriter::new(Cursor::new(Vec::new()), f64::dtype(), vec![2]).unwrap();
    assert_eq!(
        writer.write_elements(&[1i32]).unwrap_err().kind(),
        ErrorKind::TypeMismatch
    );
    writer.write_elements(&[1.0f64, 2.0, 3.0]).unwrap();
    assert_eq!(writer.rows(), 1);
    assert_eq!(
        writer.finish().unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[test]
fn file_writer_moves_into_place_only_on_finish() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.npy");
    let mut writer = NpyFileWriter::create(&path, i64::dtype(), vec![]).unwrap();
    writer.write_elements(&[1i64, 2, 3]).unwrap();
    drop(writer);
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "temp file left behind"
    );

    let mut writer = NpyFileWriter::create(&path, i64::dtype(), vec![]).unwrap();
    writer.write_elements(&[1i64, 2, 3]).unwrap();
    writer.finish().unwrap();
    let back: Array<i64> = read_path(&path).unwrap();
    assert_eq!(back.data(), &[1, 2, 3]);
}

#[test]
fn append_grows_the_file_to_what_a_whole_save_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grow.npy");
    let all = f64_array(vec![5, 2]);
    Array::from_vec(vec![2, 2], all.data()[..4].to_vec())
        .unwrap()
        .save(&path)
        .unwrap();
    assert_eq!(append_elements(&path, &all.data()[4..]).unwrap(), 5);
    assert_eq!(std::fs::read(&path).unwrap(), all.to_npy_bytes().unwrap());
}

#[test]
fn append_refuses_mismatches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.npy");
    f64_array(vec![2, 2]).save(&path).unwrap();
    assert_eq!(
        append_elements(&path, &[1i32, 2]).unwrap_err().kind(),
        ErrorKind::TypeMismatch
    );
    assert_eq!(
        append_elements(&path, &[1.0f64]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    // Trailing bytes after the data: refuse rather than bury them.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.push(0);
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(
        append_elements(&path, &[1.0f64, 2.0]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    // A legacy header without growth padding has no room.
    let legacy = legacy_16_aligned_i4();
    std::fs::write(&path, &legacy).unwrap();
    let err = append_rows(&path, &i32::dtype(), &[0; 4]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("no room"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        legacy,
        "file changed on error"
    );
}

/// What NumPy <= 1.13 wrote for np.arange(3, dtype='<i4'): 16-byte alignment, no growth spaces.
fn legacy_16_aligned_i4() -> Vec<u8> {
    let dict = b"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
    let mut header = dict.to_vec();
    while (10 + header.len() + 1) % 16 != 0 {
        header.push(b' ');
    }
    header.push(b'\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(&header);
    for v in [0i32, 1, 2] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

#[test]
fn legacy_layout_reads() {
    let bytes = legacy_16_aligned_i4();
    assert_eq!(bytes.len() % 16, 12);
    let array: Array<i32> = read_slice(&bytes).unwrap();
    assert_eq!(array.data(), &[0, 1, 2]);
}

#[test]
fn append_fortran_order_grows_the_last_axis() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.npy");
    // (2, 2) Fortran-order data is column after column.
    Array::from_vec_fortran(vec![2, 2], vec![1i32, 2, 3, 4])
        .unwrap()
        .save(&path)
        .unwrap();
    append_elements(&path, &[5i32, 6]).unwrap();
    let grown: Array<i32> = read_path(&path).unwrap();
    assert_eq!(grown.shape(), &[2, 3]);
    assert!(grown.is_fortran_order());
    assert_eq!(grown.clone().to_c_order().data(), &[1, 3, 5, 2, 4, 6]);
    let whole = Array::from_vec_fortran(vec![2, 3], vec![1i32, 2, 3, 4, 5, 6]).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), whole.to_npy_bytes().unwrap());
}

#[test]
fn writable_map_matches_save_and_persists_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.npy");
    let header = Header::new(f64::dtype(), vec![4, 2]);
    {
        let mut map = MmapArrayMut::create(&path, &header).unwrap();
        let zeros = std::fs::read(&path).unwrap();
        assert_eq!(
            zeros,
            Array::from_vec(vec![4, 2], vec![0.0f64; 8])
                .unwrap()
                .to_npy_bytes()
                .unwrap()
        );
        for (i, v) in map.as_mut_slice::<f64>().unwrap().iter_mut().enumerate() {
            *v = i as f64;
        }
        map.flush().unwrap();
    }
    let map = MmapArray::open(&path).unwrap();
    assert_eq!(map.header(), &header);
    let values: &[f64] = map.view().as_slice().unwrap();
    assert_eq!(values, &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
}

#[test]
fn zero_size_arrays_map_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.npy");
    let empty = Array::<f32>::from_vec(vec![0, 5], vec![]).unwrap();
    empty.save(&path).unwrap();
    let map = MmapArray::open(&path).unwrap();
    assert!(map.view().as_slice::<f32>().unwrap().is_empty());
    assert_eq!(read_path::<f32>(&path).unwrap(), empty);
}

#[test]
fn mapped_view_refuses_wrong_type_and_foreign_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("be.npy");
    let big = DType::Scalar(Scalar::new(ScalarKind::Float(8), ByteOrder::Big).unwrap());
    let data: Vec<u8> = [1.5f64, -2.0]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect();
    npy_core::save(&path, &Header::new(big, vec![2]), &data).unwrap();
    let map = MmapArray::open(&path).unwrap();
    assert_eq!(
        map.view().as_slice::<f32>().unwrap_err().kind(),
        ErrorKind::TypeMismatch
    );
    assert_eq!(
        map.view().as_slice::<f64>().unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(map.view().to_typed::<f64>().unwrap().data(), &[1.5, -2.0]);
    assert_eq!(read_path::<f64>(&path).unwrap().data(), &[1.5, -2.0]);
}

#[test]
fn save_replaces_atomically_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.npy");
    f64_array(vec![3]).save(&path).unwrap();
    f64_array(vec![4]).save(&path).unwrap();
    assert_eq!(read_path::<f64>(&path).unwrap(), f64_array(vec![4]));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A failing save (data length wrong) leaves the old file.
    let err = npy_core::save(&path, &Header::new(f64::dtype(), vec![9]), &[0u8; 8]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(read_path::<f64>(&path).unwrap(), f64_array(vec![4]));
}

#[test]
fn several_arrays_in_one_stream_and_skipping() {
    let mut stream = Vec::new();
    f64_array(vec![2]).write_to(&mut stream).unwrap();
    Array::from_vec(vec![], vec![true])
        .unwrap()
        .write_to(&mut stream)
        .unwrap();
    f64_array(vec![3]).write_to(&mut stream).unwrap();
    let mut cursor = Cursor::new(stream);
    let first = NpyReader::new(&mut cursor).unwrap().skip_data().unwrap();
    let second: Array<bool> = NpyReader::new(&mut *first).unwrap().read_typed().unwrap();
    assert_eq!(second.data(), &[true]);
    assert_eq!(second.shape(), &[] as &[u64]);
    let third: Array<f64> = NpyReader::new(&mut cursor).unwrap().read_typed().unwrap();
    assert_eq!(third, f64_array(vec![3]));
    let err = NpyReader::new(&mut cursor).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
}

/// A reader that hands out one byte per call, like a slow pipe.
struct Trickle<'a>(&'a [u8]);
impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.0[0];
        self.0 = &self.0[1..];
        Ok(1)
    }
}

#[test]
fn short_reads_are_tolerated() {
    let array = f64_array(vec![3, 4]);
    let bytes = array.to_npy_bytes().unwrap();
    let back: Array<f64> = NpyReader::new(Trickle(&bytes))
        .unwrap()
        .read_typed()
        .unwrap();
    assert_eq!(back, array);
}

#[test]
fn huge_claims_fail_fast_on_short_streams() {
    // A header claiming 2**40 doubles, followed by 16 bytes.
    let header = Header::new(f64::dtype(), vec![1 << 40]);
    let mut bytes = header.to_bytes().unwrap();
    bytes.extend_from_slice(&[0; 16]);
    let err = NpyReader::new(Trickle(&bytes))
        .unwrap()
        .read_array()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    assert!(
        err.to_string()
            .contains("expected 8796093022208 bytes got 16"),
        "{err}"
    );
    let err = read_slice::<f64>(&bytes).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    let err = ArrayView::new(&bytes).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
}

#[test]
fn truncated_file_on_disk_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.npy");
    let mut bytes = f64_array(vec![10]).to_npy_bytes().unwrap();
    bytes.truncate(bytes.len() - 1);
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(
        read_path::<f64>(&path).unwrap_err().kind(),
        ErrorKind::UnexpectedEof
    );
    assert_eq!(
        read_path_dynamic(&path).unwrap_err().kind(),
        ErrorKind::UnexpectedEof
    );
    assert_eq!(
        MmapArray::open(&path).unwrap_err().kind(),
        ErrorKind::UnexpectedEof
    );
}

#[test]
fn bool_bytes_other_than_0_and_1_are_invalid() {
    let header = Header::new(bool::dtype(), vec![3]);
    let mut bytes = header.to_bytes().unwrap();
    bytes.extend_from_slice(&[0, 1, 2]);
    assert_eq!(
        read_slice::<bool>(&bytes).unwrap_err().kind(),
        ErrorKind::InvalidData
    );
    // The raw bytes are still readable as the dynamic array.
    let raw = NpyReader::new(&bytes[..]).unwrap().read_array().unwrap();
    assert_eq!(raw.data(), &[0, 1, 2]);
}

#[test]
fn typed_read_of_the_wrong_type_says_both_types() {
    let bytes = f64_array(vec![2]).to_npy_bytes().unwrap();
    let err = read_slice::<i64>(&bytes).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TypeMismatch);
    assert!(
        err.to_string().contains("'<f8'") && err.to_string().contains("i64"),
        "{err}"
    );
}

#[test]
fn object_arrays_are_refused() {
    let mut bytes =
        b"\x93NUMPY\x01\x00\x76\x00{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
            .to_vec();
    bytes.resize(127, b' ');
    bytes.push(b'\n');
    bytes.extend_from_slice(b"\x80\x04pickle");
    let reader = NpyReader::new(&bytes[..]).unwrap();
    assert!(reader.header().dtype.has_object());
    assert_eq!(
        reader.read_array().unwrap_err().kind(),
        ErrorKind::Unsupported
    );
}

fn shapes() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..5, 0..4)
}

proptest! {
    #[test]
    fn typed_round_trip_any_shape_and_order(shape in shapes(), fortran in any::<bool>(), seed in any::<i32>()) {
        let n: u64 = shape.iter().product();
        let data: Vec<i32> = (0..n as i32).map(|i| i.wrapping_mul(seed)).collect();
        let array = if fortran {
            Array::from_vec_fortran(shape.clone(), data).unwrap()
        } else {
            Array::from_vec(shape.clone(), data).unwrap()
        };
        let bytes = array.to_npy_bytes().unwrap();
        prop_assert_eq!(bytes.len() as u64 % 64, (n * 4) % 64);
        let back: Array<i32> = read_slice(&bytes).unwrap();
        prop_assert_eq!(back.clone().to_c_order(), array.clone().to_c_order());
        // Through the dynamic path, C order, other byte order and back.
        let dynamic = NpyReader::new(&bytes[..]).unwrap().read_array().unwrap();
        let swapped = dynamic.clone().to_c_order().to_byte_order(ByteOrder::Big).unwrap();
        prop_assert_eq!(swapped.dtype().to_string(), "'>i4'");
        let native: Array<i32> = swapped.into_typed().unwrap();
        prop_assert_eq!(native, array.clone().to_c_order());
        // C -> F -> C on the dynamic array is the identity.
        let c = dynamic.to_c_order();
        prop_assert_eq!(c.clone().to_fortran_order().to_c_order(), c);
    }
}

#[cfg(unix)]
#[test]
fn saved_files_get_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    std::fs::File::create(&plain).unwrap();
    let expected = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
    let path = dir.path().join("x.npy");
    f64_array(vec![2]).save(&path).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), expected);
    // Replacing a file keeps its permissions.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    f64_array(vec![3]).save(&path).unwrap();
    assert_eq!(mode(&path), 0o640);
}

#[test]
fn reader_from_an_open_file_positioned_mid_stream() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.npy");
    let mut bytes = f64_array(vec![2]).to_npy_bytes().unwrap();
    let first_len = bytes.len() as u64;
    bytes.extend(f64_array(vec![5]).to_npy_bytes().unwrap());
    std::fs::write(&path, &bytes).unwrap();
    let mut file = std::fs::File::open(&path).unwrap();
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(first_len)).unwrap();
    let second: Array<f64> = NpyReader::from_file(file).unwrap().read_typed().unwrap();
    assert_eq!(second, f64_array(vec![5]));
}

/// Large enough for the parallel file reader (64 MiB and up), in both byte orders.
#[test]
fn large_files_read_in_parallel_match_in_both_byte_orders() {
    let n = (80 << 20) / 8;
    let values: Vec<f64> = (0..n).map(|i| i as f64 * 0.25 - 7.0).collect();
    let dir = tempfile::tempdir().unwrap();
    for order in [ByteOrder::Little, ByteOrder::Big] {
        let path = dir.path().join(format!("{order:?}.npy"));
        let dtype = DType::Scalar(Scalar::new(ScalarKind::Float(8), order).unwrap());
        let bytes: Vec<u8> = values
            .iter()
            .flat_map(|v| match order {
                ByteOrder::Big => v.to_be_bytes(),
                _ => v.to_le_bytes(),
            })
            .collect();
        npy_core::save(&path, &Header::new(dtype, vec![n as u64 / 2, 2]), &bytes).unwrap();
        let array: Array<f64> = read_path(&path).unwrap();
        assert_eq!(array.shape(), &[n as u64 / 2, 2]);
        assert!(array.data() == &values[..], "{order:?} values differ");
        let dynamic = read_path_dynamic(&path).unwrap();
        assert!(dynamic.data() == &bytes[..]);
        // Truncated by one byte: a clean error, not a short array.
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(std::fs::metadata(&path).unwrap().len() - 1)
            .unwrap();
        assert_eq!(
            read_path::<f64>(&path).unwrap_err().kind(),
            ErrorKind::UnexpectedEof
        );
        // Saving over a large file (released in the background) leaves exactly the new array.
        array.save(&path).unwrap();
        assert_eq!(read_path::<f64>(&path).unwrap(), array);
    }
}

#[rstest]
#[case(0)]
#[case(3)]
#[case(1000)]
fn file_writer_with_a_row_hint_trims_to_the_data(#[case] hint: u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hinted.npy");
    let whole = f64_array(vec![3, 2]);
    let mut writer = NpyFileWriter::create_with_rows(&path, f64::dtype(), vec![2], hint).unwrap();
    writer.write_elements(whole.data()).unwrap();
    writer.finish().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), whole.to_npy_bytes().unwrap());
}

/// A top-level subarray dtype's axes are the array's last axes (the header folds them into the
/// shape), so Fortran order is over the whole shape. NumPy's bytes for
/// `np.asfortranarray(np.arange(8, dtype='<i2').reshape(2, 2, 2))` are 0, 4, 2, 6, 1, 5, 3, 7;
/// `np.save` of an F-ordered `(2, 3, 0)` bool array writes `'fortran_order': False`.
#[test]
fn fortran_order_of_a_top_level_subarray_dtype_covers_its_axes() {
    use npy_core::{NpyArray, SubArray};
    let i2 = DType::Scalar(Scalar::new(ScalarKind::Int(2), ByteOrder::Little).unwrap());
    let sub = DType::SubArray(SubArray::new(i2, vec![2]).unwrap());
    let data: Vec<u8> = (0..8i16).flat_map(i16::to_le_bytes).collect();
    let array = NpyArray::new(Header::new(sub, vec![2, 2]), data.clone()).unwrap();
    let fortran = array.to_fortran_order();
    assert_eq!(fortran.header().shape, vec![2, 2, 2]);
    assert!(fortran.header().fortran_order);
    let values: Vec<i16> = fortran
        .data()
        .chunks(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    assert_eq!(values, vec![0, 4, 2, 6, 1, 5, 3, 7]);
    assert_eq!(fortran.to_c_order().data(), &data[..]);

    let b1 = DType::Scalar(Scalar::new(ScalarKind::Bool, ByteOrder::NotApplicable).unwrap());
    let empty = DType::SubArray(SubArray::new(b1, vec![0]).unwrap());
    let array = NpyArray::new(Header::new(empty, vec![2, 3]), Vec::new()).unwrap();
    let fortran = array.to_fortran_order();
    assert_eq!(fortran.header().shape, vec![2, 3, 0]);
    assert!(!fortran.header().fortran_order);
}
