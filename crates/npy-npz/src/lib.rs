//! `npy-npz`: NumPy's `.npz` archives, read as `np.load` reads them and written byte for byte
//! as `np.savez` and `np.savez_compressed` write them.
//!
//! * [`NpzReader`] opens an archive from a path or any `Read + Seek`: np.load's member lookup
//!   (`"x"` and `"x.npy"`, literal names first, the last duplicate wins), stored and deflated
//!   members, zip64, data descriptors, CRC-32 checks, and members read as
//!   [`npy_core::NpyArray`], typed [`npy_core::Array`], or raw bytes for members that are not
//!   `.npy` data.
//! * [`NpzMmap`] maps an archive and views stored members in place (NumPy cannot).
//! * [`NpzWriter`] writes members one by one, whole or streamed in chunks, stored or deflated;
//!   [`savez`] and [`savez_compressed`] do what NumPy's functions of those names do.
//!
//! Hostile input is refused with an [`npy_core::Error`] and bounded memory: nothing is
//! allocated for sizes an archive claims before the bytes are there.
//!
//! # Example
//!
//! ```
//! use npy_core::Array;
//! use npy_npz::{NpzReader, NpzWriter, Value};
//! use std::io::Cursor;
//!
//! let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
//! writer.add("a", &Array::from_vec(vec![2, 2], vec![1i32, 2, 3, 4])?)?;
//! writer.add_file("meta.txt", b"hello")?;
//! let bytes = writer.finish()?.into_inner();
//!
//! let mut archive = NpzReader::new(Cursor::new(bytes))?;
//! assert_eq!(archive.files().collect::<Vec<_>>(), ["a", "meta.txt"]);
//! let a: Array<i32> = archive.read_typed("a")?;
//! assert_eq!(a.shape(), &[2, 2]);
//! assert_eq!(archive.read("meta.txt")?, Value::Bytes(b"hello".to_vec()));
//! # Ok::<(), npy_core::Error>(())
//! ```
//!
//! # Choices
//!
//! The zip container is written and read here rather than through the `zip` crate: np.savez's
//! exact bytes need control of every field, np.load's `files` keeps duplicate names that the
//! `zip` crate's name map folds together, and a shared buffered stream and one reused inflater
//! keep archives of many small members fast. Deflate is zlib itself (through `flate2`), the
//! same library and level NumPy uses, so compressed members match NumPy's byte for byte.

mod directory;
mod format;
mod member;
mod mmap;
mod parallel;
mod read;
mod write;

pub use directory::Entry;
pub use format::Method;
pub use member::{Member, OwnedMember, Value};
pub use mmap::NpzMmap;
pub use read::NpzReader;
pub use write::{
    savez, savez_compressed, savez_to, Compression, MemberWriter, NpzWriter, DEFAULT_LEVEL,
};
