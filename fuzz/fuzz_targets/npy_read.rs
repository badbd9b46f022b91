//! The .npy reader on arbitrary bytes: streaming, zero-copy and typed reads, and for every
//! array that reads, the reorder / byte-swap / write round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use npy_core::{read_slice, ArrayView, ByteOrder, NpyReader};

fuzz_target!(|data: &[u8]| {
    if let Ok(reader) = NpyReader::new(data) {
        if let Ok(array) = reader.read_array() {
            round_trip(array);
        }
    }

    if let Ok(view) = ArrayView::new(data) {
        let _ = view.as_slice::<f64>();
        let _ = view.to_typed::<i32>();
        let owned = view.to_owned();
        round_trip(owned);
    }

    if let Ok(array) = read_slice::<f64>(data) {
        let array = array.to_c_order();
        if let Ok(bytes) = array.to_npy_bytes() {
            let again = read_slice::<f64>(&bytes).expect("our own f64 output reads back");
            assert_eq!(again.shape(), array.shape());
        }
    }
    let _ = read_slice::<u8>(data);
    let _ = read_slice::<u16>(data);
});

fn round_trip(array: npy_core::NpyArray) {
    let header = array.header().clone();
    let original = array.to_npy_bytes();
    let c = array.to_c_order();
    assert_eq!(c.shape(), header.shape.as_slice());
    for order in [ByteOrder::Big, ByteOrder::Little] {
        if let Ok(swapped) = c.clone().to_byte_order(order) {
            if let Ok(bytes) = swapped.to_npy_bytes() {
                let back = NpyReader::new(bytes.as_slice())
                    .and_then(|r| r.read_array())
                    .expect("our own output reads back");
                assert_eq!(back.shape(), swapped.shape());
                assert_eq!(back.data(), swapped.data());
            }
        }
    }
    if let Ok(bytes) = c.to_npy_bytes() {
        let back = NpyReader::new(bytes.as_slice())
            .and_then(|r| r.read_array())
            .expect("our own output reads back");
        assert_eq!(back.header(), c.header());
        assert_eq!(back.data(), c.data());
    }
    drop(original);
}
