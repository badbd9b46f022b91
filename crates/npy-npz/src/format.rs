//! The zip records an `.npz` uses, as NumPy's writer (Python's `zipfile`) lays them out: local
//! file headers, data descriptors, central directory headers, and the (zip64) end records.
//!
//! Only what `.npz` files need is modelled: stored (0) and deflated (8) members, one disk, no
//! encryption. Field layouts follow PKWARE's APPNOTE 6.3; the values written follow CPython's
//! `zipfile` (3.11–3.13) exactly, because np.savez's bytes are the standard we reproduce.

use npy_core::{Error, ErrorKind, Result};

/// `PK\x03\x04`: a local file header.
pub(crate) const LOCAL_SIG: u32 = 0x0403_4b50;
/// `PK\x01\x02`: a central directory header.
pub(crate) const CENTRAL_SIG: u32 = 0x0201_4b50;
/// `PK\x05\x06`: the end of central directory record.
pub(crate) const EOCD_SIG: u32 = 0x0605_4b50;
/// `PK\x06\x06`: the zip64 end of central directory record.
pub(crate) const EOCD64_SIG: u32 = 0x0606_4b50;
/// `PK\x06\x07`: the zip64 end of central directory locator.
pub(crate) const EOCD64_LOCATOR_SIG: u32 = 0x0706_4b50;
/// `PK\x07\x08`: a data descriptor.
pub(crate) const DESCRIPTOR_SIG: u32 = 0x0807_4b50;

/// Fixed sizes of the records (without their variable parts).
pub(crate) const LOCAL_LEN: usize = 30;
pub(crate) const CENTRAL_LEN: usize = 46;
pub(crate) const EOCD_LEN: usize = 22;
pub(crate) const EOCD64_LEN: usize = 56;
pub(crate) const EOCD64_LOCATOR_LEN: usize = 20;

/// The zip64 extended-information extra field's id.
pub(crate) const ZIP64_EXTRA_ID: u16 = 0x0001;
/// An alignment-padding extra field (the id Android's zipalign uses), for aligned archives.
pub(crate) const ALIGN_EXTRA_ID: u16 = 0xd935;

/// General-purpose flag bits.
pub(crate) const FLAG_ENCRYPTED: u16 = 0x0001;
pub(crate) const FLAG_DATA_DESCRIPTOR: u16 = 0x0008;
pub(crate) const FLAG_UTF8: u16 = 0x0800;

/// Python's `zipfile.ZIP64_LIMIT`: sizes and offsets above it use zip64 fields. It is 2 GiB - 1,
/// not 4 GiB - 1; matching it keeps large archives byte-identical to np.savez's.
pub(crate) const ZIP64_LIMIT: u64 = (1 << 31) - 1;
/// Python's `zipfile.ZIP_FILECOUNT_LIMIT`.
pub(crate) const FILECOUNT_LIMIT: u64 = (1 << 16) - 1;

/// Version 4.5, the first with zip64, which CPython writes as both version needed and made by.
pub(crate) const VERSION_ZIP64: u16 = 45;
/// "Made by" Unix (3), version 4.5: CPython's `create_system` on POSIX and `create_version`.
pub(crate) const MADE_BY_UNIX: u16 = (3 << 8) | VERSION_ZIP64;
/// `0o600 << 16`: what `ZipFile.open(name, 'w')` gives every member (`?rw-------`).
pub(crate) const EXTERNAL_ATTR: u32 = 0o600 << 16;
/// MS-DOS date of 1980-01-01 (`(1980 - 1980) << 9 | 1 << 5 | 1`), time 00:00:00: the default
/// `ZipInfo` timestamp np.savez members get.
pub(crate) const DOS_DATE_1980: u16 = (1 << 5) | 1;
pub(crate) const DOS_TIME_MIDNIGHT: u16 = 0;

/// How a member's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Stored as is (np.savez).
    Stored,
    /// Raw deflate (np.savez_compressed).
    Deflated,
    /// Any other zip compression method, by its number; such members cannot be read.
    Other(u16),
}

impl Method {
    pub(crate) fn from_code(code: u16) -> Method {
        match code {
            0 => Method::Stored,
            8 => Method::Deflated,
            other => Method::Other(other),
        }
    }

    pub(crate) fn code(self) -> u16 {
        match self {
            Method::Stored => 0,
            Method::Deflated => 8,
            Method::Other(code) => code,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Method::Stored => f.write_str("stored"),
            Method::Deflated => f.write_str("deflated"),
            Method::Other(code) => write!(f, "method {code}"),
        }
    }
}

/// Little-endian field reads from a record already in memory; the caller checks the length.
pub(crate) fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

pub(crate) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

pub(crate) fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Appends little-endian fields to a record being built.
pub(crate) trait PutLe {
    fn put_u16(&mut self, v: u16);
    fn put_u32(&mut self, v: u32);
    fn put_u64(&mut self, v: u64);
}

impl PutLe for Vec<u8> {
    fn put_u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put_u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put_u64(&mut self, v: u64) {
        self.extend_from_slice(&v.to_le_bytes());
    }
}

/// An error about the archive's structure.
#[cold]
pub(crate) fn corrupt(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidData, message)
}

/// An I/O error with what we were doing; running out of input becomes `UnexpectedEof`.
#[cold]
pub(crate) fn io_error(err: std::io::Error, what: &str) -> Error {
    let kind = if err.kind() == std::io::ErrorKind::UnexpectedEof {
        ErrorKind::UnexpectedEof
    } else {
        ErrorKind::Io
    };
    Error::new(kind, format!("{what}: {err}"))
}

/// Decodes a member name: UTF-8 when flag bit 11 says so, otherwise code page 437, as Python's
/// `zipfile` does (so names match what `np.load(...).files` shows).
pub(crate) fn decode_name(raw: &[u8], flags: u16) -> Result<String> {
    if flags & FLAG_UTF8 != 0 {
        return String::from_utf8(raw.to_vec())
            .map_err(|_| corrupt("a member name flagged as UTF-8 is not valid UTF-8"));
    }
    Ok(raw
        .iter()
        .map(|&b| {
            if b < 0x80 {
                char::from(b)
            } else {
                CP437_HIGH[usize::from(b - 0x80)]
            }
        })
        .collect())
}

/// Encodes a member name as Python's `ZipInfo._encodeFilenameFlags` does: ASCII as is, anything
/// else as UTF-8 with flag bit 11.
pub(crate) fn encode_name(name: &str) -> (&[u8], u16) {
    if name.is_ascii() {
        (name.as_bytes(), 0)
    } else {
        (name.as_bytes(), FLAG_UTF8)
    }
}

/// Code page 437, bytes 0x80..=0xFF.
const CP437_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', //
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', //
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', //
    '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', //
    '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', //
    '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐', '▀', //
    'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', //
    '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{a0}', //
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp437_names_decode_as_python_does() {
        // b'caf\x82'.decode('cp437') == 'café'; bytes 0xE1 and 0xFF are 'ß' and NBSP.
        assert_eq!(decode_name(b"caf\x82", 0).unwrap(), "café");
        assert_eq!(decode_name(b"\xe1\xff", 0).unwrap(), "ß\u{a0}");
        assert_eq!(decode_name("été".as_bytes(), FLAG_UTF8).unwrap(), "été");
        assert!(decode_name(b"\xff", FLAG_UTF8).is_err());
    }

    #[test]
    fn names_encode_as_python_does() {
        assert_eq!(encode_name("a/b.npy"), (&b"a/b.npy"[..], 0));
        assert_eq!(encode_name("é.npy").1, FLAG_UTF8);
    }

    #[test]
    fn dos_timestamp_is_1980_01_01() {
        assert_eq!(DOS_DATE_1980, 0x21);
        assert_eq!(MADE_BY_UNIX, 0x32d);
        assert_eq!(EXTERNAL_ATTR, 0x0180_0000);
    }
}
