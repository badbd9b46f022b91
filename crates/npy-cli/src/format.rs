//! Text for single values, as NumPy prints its scalars: floats in the shortest text that reads
//! back to the same value, complexes as Python writes them, bytes with escapes, raw bytes as hex.
//!
//! The float rules are NumPy 2.x's `str()` of a scalar: positional notation (`1500.0`, `0.0001`)
//! when `1e-4 <= |x| < 10^p`, else scientific (`1e+16`, `6.55e+04`, `1e-05`), where `p` is 3 for
//! float16, 6 for float32 and 16 for float64. The digits are the fewest that round-trip in the
//! value's own precision, so a float32 `0.1` prints as `0.1`, not as the double it widens to.

use std::fmt::Write;

/// The precision a float value was stored in; it decides the digits and the notation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// IEEE binary16 (`f2`).
    Half,
    /// IEEE binary32 (`f4`, the parts of `c8`).
    Single,
    /// IEEE binary64 (`f8`, the parts of `c16`).
    Double,
}

/// A float value with the precision it was stored in. `value` holds it exactly (widening is
/// exact) except for NaN payloads, which converting can change (x86 quiets a signalling NaN
/// widened from f32); `bits` keeps the stored pattern for output that must be bit-exact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Float {
    /// The value, widened to f64.
    pub value: f64,
    /// The stored precision.
    pub width: Width,
    /// The IEEE bit pattern as stored (in the low 16, 32 or 64 bits, per `width`).
    pub bits: u64,
}

impl Float {
    /// The value whose IEEE pattern of `width` is `bits`.
    pub fn from_bits(bits: u64, width: Width) -> Float {
        let value = match width {
            Width::Half => half::f16::from_bits(bits as u16).to_f64(),
            Width::Single => f64::from(f32::from_bits(bits as u32)),
            Width::Double => f64::from_bits(bits),
        };
        Float { value, width, bits }
    }
}

impl Width {
    /// Below this magnitude (and from 1e-4 up) NumPy prints positional notation.
    fn positional_limit(self) -> f64 {
        match self {
            Width::Half => 1e3,
            Width::Single => 1e6,
            Width::Double => 1e16,
        }
    }
}

/// The shortest round-trip decimal of a finite non-zero value: its digits (no leading or trailing
/// zeros) and the decimal exponent of the first digit, so the value is `0.d1d2... * 10^(exp + 1)`.
fn shortest_digits(value: Float) -> (String, i32) {
    let text = match value.width {
        // Rust's `{:e}` prints the shortest digits that round-trip in the type's own precision.
        Width::Double => format!("{:e}", value.value.abs()),
        Width::Single => format!("{:e}", (value.value as f32).abs()),
        Width::Half => shortest_half(value.value.abs()),
    };
    split_exponential(&text)
}

/// `{:e}`-style text with the fewest significant digits that read back as the same float16.
fn shortest_half(value: f64) -> String {
    let target = half::f16::from_f64(value);
    // Five significant digits always suffice for binary16.
    for precision in 0..5 {
        let text = format!("{value:.precision$e}");
        let back = text.parse::<f64>().map(half::f16::from_f64);
        if back.is_ok_and(|back| back.to_bits() == target.to_bits()) {
            return text;
        }
    }
    format!("{value:.4e}")
}

/// Splits `d.ddde-5` into (`dddd` without trailing zeros, `-5`).
fn split_exponential(text: &str) -> (String, i32) {
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    (digits, exponent.parse().unwrap_or(0))
}

/// Appends a float as NumPy's `str()` prints it: `0.0`, `-0.0`, `1.5`, `1e+16`, `nan`, `-inf`.
pub fn write_float(out: &mut String, value: Float) {
    let x = value.value;
    if x.is_nan() {
        out.push_str("nan");
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    if x.is_infinite() {
        out.push_str("inf");
        return;
    }
    if x == 0.0 {
        out.push_str("0.0");
        return;
    }
    let (digits, exp) = shortest_digits(value);
    if (1e-4..value.width.positional_limit()).contains(&x.abs()) {
        write_positional(out, &digits, exp);
    } else {
        write_scientific(out, &digits, exp);
    }
}

/// `digits` with the point placed for exponent `exp`, always with a fractional part: `1500.0`.
fn write_positional(out: &mut String, digits: &str, exp: i32) {
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
        return;
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        out.push_str(digits);
        for _ in digits.len()..int_len {
            out.push('0');
        }
        out.push_str(".0");
    } else {
        let (int_part, frac_part) = digits.split_at(int_len);
        out.push_str(int_part);
        out.push('.');
        out.push_str(frac_part);
    }
}

/// `d.ddde+XX` with at least two exponent digits, as C's `%e` and NumPy write it.
fn write_scientific(out: &mut String, digits: &str, exp: i32) {
    let (first, rest) = digits.split_at(1);
    out.push_str(first);
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    let sign = if exp < 0 { '-' } else { '+' };
    let _ = write!(out, "e{sign}{:02}", exp.unsigned_abs());
}

/// A complex component: the float text without a trailing `.0`, as Python's complex repr.
fn write_component(out: &mut String, value: Float) {
    let start = out.len();
    write_float(out, value);
    if out[start..].ends_with(".0") {
        out.truncate(out.len() - 2);
    }
}

/// Appends a complex number as Python's `repr(complex)` and NumPy's `str()` print it:
/// `(1+2j)`, `(1.5-0.5j)`, `(nan+infj)`, and a bare `1j` or `-0j` when the real part is `+0.0`.
pub fn write_complex(out: &mut String, re: Float, im: Float) {
    let bare = re.value == 0.0 && re.value.is_sign_positive();
    if !bare {
        out.push('(');
        write_component(out, re);
        // Python writes NaN parts unsigned: (1+nanj) even for a negative NaN.
        if im.value.is_sign_positive() || im.value.is_nan() {
            out.push('+');
        }
    }
    write_component(out, im);
    out.push('j');
    if !bare {
        out.push(')');
    }
}

/// Appends bytes with printable ASCII as is, `\` doubled, and every other byte as `\xhh`.
pub fn write_escaped_bytes(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
}

/// Appends bytes as lowercase hex, two digits a byte, in storage order.
pub fn write_hex(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        let _ = write!(out, "{b:02x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float_text(value: Float) -> String {
        let mut out = String::new();
        write_float(&mut out, value);
        out
    }

    fn f64_text(x: f64) -> String {
        float_text(Float::from_bits(x.to_bits(), Width::Double))
    }

    fn f32_text(x: f32) -> String {
        float_text(Float::from_bits(u64::from(x.to_bits()), Width::Single))
    }

    fn f16_text(x: f64) -> String {
        float_text(Float::from_bits(
            u64::from(half::f16::from_f64(x).to_bits()),
            Width::Half,
        ))
    }

    // Expected texts are what NumPy 2.4 prints for str(np.float64(x)) etc.
    #[test]
    fn doubles_follow_numpy() {
        assert_eq!(f64_text(0.0), "0.0");
        assert_eq!(f64_text(-0.0), "-0.0");
        assert_eq!(f64_text(1.5), "1.5");
        assert_eq!(f64_text(0.1), "0.1");
        assert_eq!(f64_text(1e16), "1e+16");
        assert_eq!(f64_text(1e15), "1000000000000000.0");
        assert_eq!(f64_text(1e-5), "1e-05");
        assert_eq!(f64_text(0.0001), "0.0001");
        assert_eq!(f64_text(0.00015), "0.00015");
        assert_eq!(f64_text(123456789.125), "123456789.125");
        assert_eq!(f64_text(1e300), "1e+300");
        assert_eq!(f64_text(-2.5e-300), "-2.5e-300");
        assert_eq!(f64_text(f64::NAN), "nan");
        assert_eq!(f64_text(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn singles_and_halves_use_their_own_precision() {
        assert_eq!(f32_text(0.1), "0.1");
        assert_eq!(f32_text(1.0 / 3.0), "0.33333334");
        assert_eq!(f32_text(100000.0), "100000.0");
        assert_eq!(f32_text(1e6), "1e+06");
        assert_eq!(f32_text(1e-4), "1e-04");
        assert_eq!(f16_text(0.1), "0.1");
        assert_eq!(f16_text(999.0), "999.0");
        assert_eq!(f16_text(1024.0), "1.024e+03");
        assert_eq!(f16_text(65504.0), "6.55e+04");
        assert_eq!(f16_text(6e-8), "6e-08");
        assert_eq!(f16_text(1.0 / 3.0), "0.3333");
        assert_eq!(f16_text(1e-4), "0.0001");
    }

    #[test]
    fn complexes_follow_python() {
        let d = |value: f64| Float::from_bits(value.to_bits(), Width::Double);
        let text = |re, im| {
            let mut s = String::new();
            write_complex(&mut s, d(re), d(im));
            s
        };
        assert_eq!(text(1.0, 2.0), "(1+2j)");
        assert_eq!(text(1.5, -0.5), "(1.5-0.5j)");
        assert_eq!(text(0.0, 1.0), "1j");
        assert_eq!(text(-0.0, 1.0), "(-0+1j)");
        assert_eq!(text(1.0, -0.0), "(1-0j)");
        assert_eq!(text(0.0, -0.0), "-0j");
        assert_eq!(text(1.0, -f64::NAN), "(1+nanj)");
        assert_eq!(text(1e16, 1e-5), "(1e+16+1e-05j)");
    }

    #[test]
    fn bytes_escape_and_hex() {
        let mut s = String::new();
        write_escaped_bytes(&mut s, b"a\x00\\\xff~");
        assert_eq!(s, "a\\x00\\\\\\xff~");
        s.clear();
        write_hex(&mut s, &[1, 0xab]);
        assert_eq!(s, "01ab");
    }
}
