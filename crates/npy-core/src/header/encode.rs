//! Rendering a header exactly as NumPy 2.x's `np.save` does.
//!
//! The algorithm (numpy/lib/_format_impl.py, `_write_array_header` and `_wrap_header`):
//! the dict text with keys sorted and values in Python `repr`, then spare spaces so the growth
//! axis can reach 21 digits without moving the data, then 1 to 64 spaces and a newline so the data
//! starts at a multiple of 64. Version 1.0 unless the length does not fit 16 bits (then 2.0), and
//! 3.0 only when the text is not latin-1 encodable.

use super::{Header, Version, MAGIC};
use crate::error::{Error, ErrorKind, Result};

/// Data starts at a multiple of this many bytes.
const ARRAY_ALIGN: usize = 64;
/// `len(str(8 * 2**64 - 1))`: digits an appender may grow the growth axis to.
const GROWTH_AXIS_MAX_DIGITS: usize = 21;

impl Header {
    /// The header dict as NumPy writes it, including the growth-axis spare spaces but not the
    /// alignment padding: `{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }` + spaces.
    ///
    /// A top-level subarray dtype is absorbed into the shape first, as NumPy does.
    pub fn dict_text(&self) -> String {
        if let crate::dtype::DType::SubArray(_) = self.dtype {
            return self.clone().absorb_subarray().dict_text();
        }
        let mut text = String::with_capacity(128);
        text.push_str("{'descr': ");
        text.push_str(&self.dtype.descr());
        text.push_str(", 'fortran_order': ");
        text.push_str(if self.fortran_order { "True" } else { "False" });
        text.push_str(", 'shape': ");
        crate::literal::write_repr_shape(&mut text, &self.shape);
        text.push_str(", }");
        if let Some(axis) = self.growth_axis() {
            let digits = decimal_digits(self.shape[axis]);
            text.extend(std::iter::repeat_n(
                ' ',
                GROWTH_AXIS_MAX_DIGITS.saturating_sub(digits),
            ));
        }
        text
    }

    /// The version `np.save` picks for this header: 1.0 if it fits, else 2.0; 3.0 only when the
    /// text needs UTF-8.
    pub fn canonical_version(&self) -> Version {
        version_for(&self.dict_text())
    }

    /// The complete prelude (magic, version, length, dict, padding, newline) that `np.save`
    /// writes for this header. Its length is a multiple of 64.
    ///
    /// # Errors
    /// Only when the header is longer than version 2.0/3.0's 32-bit length field allows.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let text = self.dict_text();
        wrap(&text, version_for(&text))
    }

    /// The prelude for an explicitly chosen version, as `np.lib.format.write_array(..., version=)`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when the header does not fit the version's length field
    /// (`Header length N too big for version=(1, 0)`) or needs UTF-8 but the version is latin-1.
    pub fn to_bytes_with_version(&self, version: Version) -> Result<Vec<u8>> {
        let text = self.dict_text();
        if version != Version::V3 && !is_latin1(&text) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "header needs UTF-8 (a field name is not latin-1), which version {version} cannot hold; use version 3.0"
                ),
            ));
        }
        wrap(&text, version)
    }
}

/// 1.0 if the header fits its 16-bit length, else 2.0; 3.0 only when the text needs UTF-8.
fn version_for(text: &str) -> Version {
    if !is_latin1(text) {
        Version::V3
    } else if padded_header_len(text.chars().count(), Version::V1) <= u16::MAX as usize {
        Version::V1
    } else {
        Version::V2
    }
}

/// HEADER_LEN (dict, padding and newline) for a dict text of `chars` characters.
fn padded_header_len(text_len: usize, version: Version) -> usize {
    let hlen = text_len + 1;
    let prefix = MAGIC.len() + 2 + version.length_field_size();
    let padlen = ARRAY_ALIGN - (prefix + hlen) % ARRAY_ALIGN;
    hlen + padlen
}

fn wrap(text: &str, version: Version) -> Result<Vec<u8>> {
    let encoded: Vec<u8> = match version {
        Version::V1 | Version::V2 => text.chars().map(|c| c as u8).collect(),
        Version::V3 => text.as_bytes().to_vec(),
    };
    let header_len = padded_header_len(encoded.len(), version);
    let mut out = Vec::with_capacity(MAGIC.len() + 2 + version.length_field_size() + header_len);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&version.bytes());
    let too_big = || {
        let [major, minor] = version.bytes();
        Error::new(
            ErrorKind::InvalidArgument,
            format!("Header length {header_len} too big for version=({major}, {minor})"),
        )
    };
    match version {
        Version::V1 => {
            let len = u16::try_from(header_len).map_err(|_| too_big())?;
            out.extend_from_slice(&len.to_le_bytes());
        }
        Version::V2 | Version::V3 => {
            let len = u32::try_from(header_len).map_err(|_| too_big())?;
            out.extend_from_slice(&len.to_le_bytes());
        }
    }
    out.extend_from_slice(&encoded);
    let padding = header_len - encoded.len() - 1;
    out.resize(out.len() + padding, b' ');
    out.push(b'\n');
    Ok(out)
}

fn is_latin1(text: &str) -> bool {
    text.chars().all(|c| (c as u32) < 0x100)
}

fn decimal_digits(mut n: u64) -> usize {
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
}
