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

// --- deserialization exports (owned by the de side) ---
