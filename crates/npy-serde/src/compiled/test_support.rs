//! Records for the compiled readers' and writers' unit tests.

use npy_core::{ByteOrder, DType, Record, Scalar, ScalarKind};

/// A packed record of scalar fields.
pub(crate) fn record(fields: &[(&str, ScalarKind, ByteOrder)]) -> Record {
    let fields = fields
        .iter()
        .map(|&(name, kind, order)| {
            let dtype = DType::Scalar(Scalar::new(kind, order).unwrap());
            (name.to_owned(), dtype)
        })
        .collect();
    Record::packed(fields).unwrap()
}

/// The byte order that is not this machine's.
pub(crate) fn foreign_order() -> ByteOrder {
    match ByteOrder::native() {
        ByteOrder::Little => ByteOrder::Big,
        _ => ByteOrder::Little,
    }
}
