//! `npy-serde`: `#[derive(Serialize, Deserialize)]` structs as rows of NumPy record arrays.
//!
//! (Crate documentation with the mapping table: being written.)

pub mod complex;
mod de;
mod error;
mod options;
mod read;
mod schema;
mod ser;
pub mod tokens;
pub mod types;
mod write;

pub use error::{Error, ErrorKind, Result};
pub use types::{units, Datetime64, Timedelta64, Unit, NAT};

// --- serialization exports (owned by the ser side) ---
pub use options::{EnumMode, Options, StringMode};
pub use write::{
    to_path, to_path_with, to_vec, to_vec_with, to_writer, to_writer_with, trace_dtype,
    RecordFileWriter, RecordWriter,
};

// --- deserialization exports (owned by the de side) ---
pub use read::{from_path, from_reader, from_slice, RecordReader, RecordSlice, MAX_ZERO_SIZE_ROWS};
