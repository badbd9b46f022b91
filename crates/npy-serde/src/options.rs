//! [`Options`]: how rows are turned into a dtype and bytes (byte order, string storage, enum
//! storage, format version, explicit dtype and string widths, streaming sample size).

use std::collections::BTreeMap;

use npy_core::{ByteOrder, DType, Version};

/// How `String`, `&str`, `char` and enum variant names (see [`EnumMode::Name`]) are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum StringMode {
    /// NumPy's `str` dtype, `U<n>`: `n` Unicode code points of UCS-4 (4 bytes each, in the
    /// configured byte order), NUL-padded. `n` counts characters, as NumPy sizes `U`.
    #[default]
    Unicode,
    /// NumPy's `bytes` dtype, `S<n>`: the UTF-8 bytes of the string, NUL-padded. `n` counts
    /// bytes. NumPy shows the values as `bytes` (`b'...'`).
    Bytes,
}

/// How unit-only enums (`enum Side { Buy, Sell }`) are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum EnumMode {
    /// The variant name (after `#[serde(rename)]`), as a string in the [`StringMode`]; the width
    /// is the longest name seen, like any other string. Readable in NumPy
    /// (`arr['side'] == 'Buy'`) and independent of the variant order.
    #[default]
    Name,
    /// The variant index (declaration order, from 0) as `u32` (`<u4`). Fixed width, so streaming
    /// never meets an unseen, longer variant name; but the numbers mean nothing to NumPy.
    Index,
}

/// Options of [`to_writer_with`](crate::to_writer_with), [`to_vec_with`](crate::to_vec_with),
/// [`to_path_with`](crate::to_path_with) and [`RecordWriter`](crate::RecordWriter).
///
/// A builder: start from [`Options::new`] (the same as [`Options::default`]) and chain the
/// setters. The fields are public to read; new ones may be added, so the struct cannot be built
/// with a literal.
///
/// ```
/// use npy_serde::{EnumMode, Options, StringMode};
/// use npy_core::ByteOrder;
///
/// let defaults = Options::default();
/// assert_eq!(defaults.byte_order, ByteOrder::native()); // '<' on little-endian machines, like np.save
/// assert_eq!(defaults.strings, StringMode::Unicode);     // String -> '<U{n}'
/// assert_eq!(defaults.enums, EnumMode::Name);            // unit variants -> their name
/// assert_eq!(defaults.version, None);                    // the version np.save would choose
/// assert_eq!(defaults.dtype, None);                      // traced from the rows
/// assert!(defaults.string_widths.is_empty());            // widths = the longest value seen
/// assert_eq!(defaults.sample_rows, 1000);                // rows RecordWriter traces widths from
///
/// let options = Options::new()
///     .byte_order(ByteOrder::Big)
///     .strings(StringMode::Bytes)
///     .string_width("label", 16)
///     .sample_rows(10_000);
/// assert_eq!(options.string_widths["label"], 16);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Byte order of multi-byte values and of `U` strings. Default: this machine's
    /// ([`ByteOrder::native`]), which NumPy writes as `<` on little-endian machines.
    /// [`ByteOrder::NotApplicable`] means native too.
    pub byte_order: ByteOrder,
    /// How strings are stored. Default: [`StringMode::Unicode`] (`U`).
    pub strings: StringMode,
    /// How unit-only enums are stored. Default: [`EnumMode::Name`].
    pub enums: EnumMode,
    /// The format version. `None` (the default) picks what `np.save` picks: 1.0, or 2.0 when the
    /// header does not fit, or 3.0 when a field name is not latin-1.
    pub version: Option<Version>,
    /// An explicit dtype for one row. When set, nothing is traced but the field order of the
    /// first row: the byte order, string and enum options do not apply, and string widths are
    /// the dtype's. Record fields are matched to struct fields by name (in any order); every
    /// field of each side must be present in the other. Values may be widened losslessly
    /// (`i32` into `<i8`, `f32` into `<f8`, `i64` into `M8`).
    pub dtype: Option<DType>,
    /// Explicit widths of string fields, by field path (`label`, `outer.label`, `pair.f1`; a
    /// subarray of strings uses the subarray field's path): characters for `U`, bytes for `S`.
    /// Fields not listed get the longest value seen (at least 1).
    pub string_widths: BTreeMap<String, usize>,
    /// How many rows [`RecordWriter`](crate::RecordWriter) buffers to trace string widths from
    /// before it writes the header. A later, longer string is an error naming its row and
    /// field. Default: 1000. Whole-slice writers (`to_writer`, ...) always trace all rows.
    pub sample_rows: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            byte_order: ByteOrder::native(),
            strings: StringMode::Unicode,
            enums: EnumMode::Name,
            version: None,
            dtype: None,
            string_widths: BTreeMap::new(),
            sample_rows: 1000,
        }
    }
}

impl Options {
    /// The default options.
    pub fn new() -> Options {
        Options::default()
    }

    /// Sets [`Options::byte_order`].
    #[must_use]
    pub fn byte_order(mut self, order: ByteOrder) -> Options {
        self.byte_order = order;
        self
    }

    /// Sets [`Options::strings`].
    #[must_use]
    pub fn strings(mut self, mode: StringMode) -> Options {
        self.strings = mode;
        self
    }

    /// Sets [`Options::enums`].
    #[must_use]
    pub fn enums(mut self, mode: EnumMode) -> Options {
        self.enums = mode;
        self
    }

    /// Sets [`Options::version`].
    #[must_use]
    pub fn version(mut self, version: Version) -> Options {
        self.version = Some(version);
        self
    }

    /// Sets [`Options::dtype`].
    #[must_use]
    pub fn dtype(mut self, dtype: DType) -> Options {
        self.dtype = Some(dtype);
        self
    }

    /// Adds an entry to [`Options::string_widths`].
    #[must_use]
    pub fn string_width(mut self, path: impl Into<String>, width: usize) -> Options {
        self.string_widths.insert(path.into(), width);
        self
    }

    /// Sets [`Options::sample_rows`] (0 means 1: the first row).
    #[must_use]
    pub fn sample_rows(mut self, rows: usize) -> Options {
        self.sample_rows = rows;
        self
    }

    /// The byte order to write multi-byte values in (`NotApplicable` resolved to native).
    pub(crate) fn resolved_byte_order(&self) -> ByteOrder {
        match self.byte_order {
            ByteOrder::NotApplicable => ByteOrder::native(),
            order => order,
        }
    }
}
