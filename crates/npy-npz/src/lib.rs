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
//! * With the `serde` feature, `NpzWriter::add_rows` and `NpzReader::read_rows` write and read
//!   rows of `#[derive(Serialize, Deserialize)]` structs as record arrays, through npy-serde.
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
//! * **The zip container is hand-written, for reading and writing.** np.savez's exact bytes
//!   need control of every field (zip64 extra in every local header with `0xFFFFFFFF` sizes,
//!   Python's 2 GiB zip64 threshold, its data-descriptor layout), which the `zip` crate's writer
//!   does not give. For reading, np.load's `files` keeps duplicate names in archive order, which
//!   the `zip` crate's name map folds together; the `zip` crate checks a CRC only when a read
//!   reaches the member's end, while `.npy` readers stop at the data's end; and one buffered
//!   stream whose position is tracked, plus one reused inflater, keep archives of many small
//!   members fast. The `zip` crate is still used, in the tests, as an independent implementation
//!   to cross-check both directions. The container is small: see `format.rs`, `directory.rs`.
//! * **Deflate is zlib itself**, built from source (via `flate2` and `libz-sys`): its level 6
//!   output is byte-identical to NumPy's (Python's zlib), which makes compressed archives
//!   reproducible against NumPy. Measured on 256 MiB of `arange % 1000` as int64 and 64 MiB of a
//!   float32 random walk: zlib-rs at level 6 gave 1.69x and 1.04x NumPy's size (over the 1.02x
//!   budget); miniz_oxide 1.0006x and 1.007x, but not NumPy's bytes.
//! * **Members over 4 MiB are deflated in 4 MiB blocks on several cores** (pigz's scheme), so
//!   a big `savez_compressed` takes about half NumPy's time on two cores; block boundaries are
//!   fixed, so the output does not depend on the machine.

mod directory;
mod format;
mod member;
mod mmap;
mod parallel;
mod read;
#[cfg(feature = "serde")]
mod rows;
mod write;

pub use directory::Entry;
pub use format::Method;
pub use member::{Member, OwnedMember, Value};
pub use mmap::NpzMmap;
pub use read::NpzReader;
pub use write::{
    savez, savez_compressed, savez_to, Compression, MemberWriter, NpzWriter, DEFAULT_LEVEL,
};
