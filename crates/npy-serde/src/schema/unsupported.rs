//! The errors for serde types that have no NumPy dtype, each with a hint. Shared by the tracer
//! (which sees them first) and the row encoder (which sees them when a dtype was given).

use crate::error::{Error, ErrorKind};

/// A mapping problem: the serde type `what` cannot be a record field; `hint` says what to do.
#[cold]
fn unsupported(what: &str, hint: &str) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        format!("{what} has no NumPy dtype: {hint}"),
    )
}

#[cold]
pub(crate) fn option() -> Error {
    unsupported(
        "Option<T>",
        "use a sentinel value (NaN, -1, an empty string) or #[serde(skip)] the field",
    )
}

#[cold]
pub(crate) fn seq() -> Error {
    unsupported(
        "a variable-length sequence (Vec, slice, set)",
        "use a fixed-size array [T; N], which becomes a subarray field, or #[serde(skip)] the field",
    )
}

#[cold]
pub(crate) fn map() -> Error {
    unsupported(
        "a map (also what #[serde(flatten)] serializes as)",
        "use a struct with named fields, or nest the flattened struct as a field",
    )
}

#[cold]
pub(crate) fn int128(what: &str) -> Error {
    unsupported(
        what,
        "NumPy integers have at most 64 bits; convert to i64/u64, or store the bytes as [u8; 16]",
    )
}

#[cold]
pub(crate) fn unit() -> Error {
    unsupported(
        "() (also what untagged enums write for unit variants)",
        "#[serde(skip)] the field, or use a plain unit-only enum",
    )
}

#[cold]
pub(crate) fn unit_struct(name: &str) -> Error {
    unsupported(
        &format!("the unit struct `{name}`"),
        "#[serde(skip)] the field",
    )
}

#[cold]
pub(crate) fn data_variant(name: &str, variant: &str) -> Error {
    unsupported(
        &format!("the enum variant `{name}::{variant}` with data"),
        "only unit-only enums map (to their variant name or index, see Options::enums); \
         use a struct with a kind field and optional-by-sentinel value fields",
    )
}

#[cold]
pub(crate) fn empty_tuple() -> Error {
    unsupported(
        "an empty tuple or [T; 0]",
        "remove the field or #[serde(skip)] it",
    )
}

#[cold]
pub(crate) fn skipped_field(key: &str) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        format!(
            "field `{key}` was left out by #[serde(skip_serializing_if)], but every row of a \
             record array has every field: remove the attribute (or use #[serde(skip)] to leave \
             the field out of every row)"
        ),
    )
}
