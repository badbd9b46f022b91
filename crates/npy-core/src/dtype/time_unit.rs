//! Datetime units: their descr spelling, and parsing the `[25s]` suffix of `M8` / `m8`.

use std::fmt;

use super::limits::MAX_MULTIPLIER;
use super::{DateTimeUnit, TimeUnit};
use crate::error::{Error, ErrorKind, Result};

impl TimeUnit {
    /// Every unit, generic first, then from coarsest to finest.
    pub const ALL: [TimeUnit; 14] = [
        TimeUnit::Generic,
        TimeUnit::Years,
        TimeUnit::Months,
        TimeUnit::Weeks,
        TimeUnit::Days,
        TimeUnit::Hours,
        TimeUnit::Minutes,
        TimeUnit::Seconds,
        TimeUnit::Milliseconds,
        TimeUnit::Microseconds,
        TimeUnit::Nanoseconds,
        TimeUnit::Picoseconds,
        TimeUnit::Femtoseconds,
        TimeUnit::Attoseconds,
    ];

    /// The unit's name as NumPy writes it inside brackets: `"Y"`, `"us"`, ...; `"generic"` for
    /// [`TimeUnit::Generic`] (which a descr writes with no brackets at all).
    pub const fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Generic => "generic",
            TimeUnit::Years => "Y",
            TimeUnit::Months => "M",
            TimeUnit::Weeks => "W",
            TimeUnit::Days => "D",
            TimeUnit::Hours => "h",
            TimeUnit::Minutes => "m",
            TimeUnit::Seconds => "s",
            TimeUnit::Milliseconds => "ms",
            TimeUnit::Microseconds => "us",
            TimeUnit::Nanoseconds => "ns",
            TimeUnit::Picoseconds => "ps",
            TimeUnit::Femtoseconds => "fs",
            TimeUnit::Attoseconds => "as",
        }
    }

    /// Parses a unit name as NumPy does: the names [`TimeUnit::as_str`] returns, plus `"μs"`
    /// (GREEK SMALL LETTER MU) for microseconds. Case-sensitive; `None` for anything else.
    pub fn from_name(name: &str) -> Option<TimeUnit> {
        if name == "\u{3bc}s" {
            return Some(TimeUnit::Microseconds);
        }
        TimeUnit::ALL.into_iter().find(|u| u.as_str() == name)
    }
}

impl DateTimeUnit {
    /// The generic unit of a bare `M8` / `m8`.
    pub const GENERIC: DateTimeUnit = DateTimeUnit {
        unit: TimeUnit::Generic,
        multiplier: 1,
    };

    /// A unit with multiplier 1, such as `[ns]`.
    pub const fn plain(unit: TimeUnit) -> DateTimeUnit {
        DateTimeUnit {
            unit,
            multiplier: 1,
        }
    }

    /// A unit with a multiplier, such as `[25s]`, normalised and checked as NumPy does.
    ///
    /// The generic unit ignores its multiplier (NumPy reads `M8[2generic]` as `M8`). Other units
    /// accept multipliers up to `i32::MAX`, including 0: NumPy accepts and writes `M8[0s]`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] when the multiplier exceeds `i32::MAX`.
    pub fn new(unit: TimeUnit, multiplier: u64) -> Result<DateTimeUnit> {
        DateTimeUnit { unit, multiplier }.normalized()
    }

    /// Applies [`DateTimeUnit::new`]'s rules to an existing value.
    pub(crate) fn normalized(self) -> Result<DateTimeUnit> {
        if self.unit == TimeUnit::Generic {
            return Ok(DateTimeUnit::GENERIC);
        }
        if self.multiplier > MAX_MULTIPLIER {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "datetime unit multiplier {} does not fit into a C int",
                    self.multiplier
                ),
            ));
        }
        Ok(self)
    }

    /// Parses the bracketed metadata NumPy accepts after `M8` / `m8`: `[unit]`, `[Nunit]` with
    /// decimal digits (leading zeros allowed), or `[generic]`. Returns `None` when invalid.
    ///
    /// Not accepted although NumPy accepts them (no writer emits them): a sign or spaces before
    /// the multiplier (`[+2s]`, `[ 2s]`) and the divisor form `[s/2]`.
    pub(crate) fn parse_brackets(text: &str) -> Option<DateTimeUnit> {
        let inner = text.strip_prefix('[')?.strip_suffix(']')?;
        let digits_end = inner
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(inner.len());
        let (digits, name) = inner.split_at(digits_end);
        let unit = TimeUnit::from_name(name)?;
        let multiplier = if digits.is_empty() {
            1
        } else {
            parse_decimal(digits)?
        };
        DateTimeUnit::new(unit, multiplier).ok()
    }
}

/// Parses ASCII decimal digits (leading zeros allowed) without overflow; `None` if too large.
pub(crate) fn parse_decimal(digits: &str) -> Option<u64> {
    digits.bytes().try_fold(0u64, |acc, b| {
        if !b.is_ascii_digit() {
            return None;
        }
        acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// Writes the descr suffix: nothing for generic, `[s]` for multiplier 1, `[25s]` otherwise.
impl fmt::Display for DateTimeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.unit, self.multiplier) {
            (TimeUnit::Generic, _) => Ok(()),
            (unit, 1) => write!(f, "[{}]", unit.as_str()),
            (unit, n) => write!(f, "[{n}{}]", unit.as_str()),
        }
    }
}
