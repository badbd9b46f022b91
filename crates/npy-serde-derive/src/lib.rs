//! `#[derive(Record)]` and `#[derive(RecordWrite)]` for npy-serde: a struct's row decoder and
//! encoder, generated at compile time.
//!
//! Use it through npy-serde, which re-exports it (feature `derive`, on by default):
//!
//! ```ignore
//! #[derive(serde::Deserialize, npy_serde::Record)]
//! struct Row { id: i64, x: f64, label: [u8; 16] }
//!
//! let rows: Vec<Row> = npy_serde::compiled::from_path("rows.npy")?;
//! ```
//!
//! The generated `impl npy_serde::Record` has three parts:
//!
//! * a plan: each field is looked up among the file's columns once, by its deserialize name and
//!   then its aliases, and a fast way to read it is chosen where the field's type and dtype
//!   allow one;
//! * a fast row decoder: every field read directly from the row's bytes; when any field cannot
//!   be (a conversion, an invalid value), it gives up on the row;
//! * a general row decoder, field by field, falling back to serde for fields without a direct
//!   read, which produces serde's values and errors.
//!
//! `RecordWrite` generates the encoder: each field written straight into the row's bytes where
//! its type and the dtype npy-serde traced (through serde) allow it, else through serde for that
//! field. Serialize names, `skip` and `skip_serializing` are honoured; `serialize_with`,
//! `skip_serializing_if`, `getter`, `with`, `flatten` and container `into` are compile errors.
//!
//! For `Record`, serde attributes are honoured as serde's own derive honours them when
//! deserializing:
//! `rename` (or `rename(deserialize = ...)`), container `rename_all` (every serde rule),
//! `alias`, `default`, `default = "path"`, `skip`, `skip_deserializing`. Attributes that only
//! concern serialization are ignored, as is `deny_unknown_fields` (a file's extra columns are
//! always skipped). Attributes that change how a value deserializes (`with`,
//! `deserialize_with`, `flatten`, `borrow`, container `default`, `transparent`, `from`,
//! `try_from`, `into`, `tag`, `untagged`, ...) are compile errors: the compiled row would not
//! read like the type's `Deserialize`. So are enums, tuple and unit structs, and structs with
//! generic parameters or lifetimes.
#![forbid(unsafe_code)]

mod attrs;
mod case;
mod expand;

use proc_macro::TokenStream;

/// Derives `npy_serde::Record` (a compiled row decoder) for a struct with named fields; see the
/// crate documentation.
#[proc_macro_derive(Record, attributes(serde))]
pub fn derive_record(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `npy_serde::RecordWrite` (a compiled row encoder) for a struct with named fields;
/// see the crate documentation.
#[proc_macro_derive(RecordWrite, attributes(serde))]
pub fn derive_record_write(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive_write(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
