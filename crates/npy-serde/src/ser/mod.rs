//! The row encoder: a [`Plan`] flattened from the dtype once, and a serializer that walks it to
//! write each row's bytes in place.

mod encode;
mod plan;
mod probe;

pub(crate) use encode::encode_row;
pub(crate) use plan::Plan;
