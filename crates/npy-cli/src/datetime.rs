//! `datetime64` values as NumPy's `str()` prints them (ISO 8601 at the unit's resolution), and
//! `timedelta64` values as the raw count with its unit.
//!
//! `NaT` is `i64::MIN` for both. A generic-unit datetime (`M8` with no unit) has no calendar
//! meaning, so it prints as its raw count.

use std::fmt::Write;

use npy_core::{DateTimeUnit, TimeUnit};

/// The value NumPy uses for "not a time".
pub const NAT: i64 = i64::MIN;

/// Appends a datetime64 as NumPy prints it: `2024-01-02T03:04:05.123456789`, `2024-02-29`,
/// `2024-06`, `2024`, `-001-03-01`, or `NaT`.
pub fn write_datetime(out: &mut String, value: i64, unit: DateTimeUnit) {
    if value == NAT {
        out.push_str("NaT");
        return;
    }
    // At most 2^63 * 2^31 units: i128 holds every product.
    let ticks = i128::from(value) * i128::from(unit.multiplier);
    match unit.unit {
        TimeUnit::Years => write_year(out, 1970 + ticks),
        TimeUnit::Months => {
            write_year(out, 1970 + ticks.div_euclid(12));
            let _ = write!(out, "-{:02}", ticks.rem_euclid(12) + 1);
        }
        TimeUnit::Weeks => write_date(out, ticks * 7),
        TimeUnit::Days => write_date(out, ticks),
        TimeUnit::Hours => write_time(out, ticks, 24, 0),
        TimeUnit::Minutes => write_time(out, ticks, 24 * 60, 0),
        TimeUnit::Seconds => write_time(out, ticks, 86_400, 0),
        TimeUnit::Milliseconds => write_time(out, ticks, 86_400, 3),
        TimeUnit::Microseconds => write_time(out, ticks, 86_400, 6),
        TimeUnit::Nanoseconds => write_time(out, ticks, 86_400, 9),
        TimeUnit::Picoseconds => write_time(out, ticks, 86_400, 12),
        TimeUnit::Femtoseconds => write_time(out, ticks, 86_400, 15),
        TimeUnit::Attoseconds => write_time(out, ticks, 86_400, 18),
        TimeUnit::Generic => {
            let _ = write!(out, "{value}");
        }
    }
}

/// Appends a timedelta64 as its count and unit: `5[s]`, `-3[25s]`, `7` (generic), or `NaT`.
pub fn write_timedelta(out: &mut String, value: i64, unit: DateTimeUnit) {
    if value == NAT {
        out.push_str("NaT");
    } else {
        // DateTimeUnit's Display is the descr suffix: `[s]`, `[25s]`, or nothing for generic.
        let _ = write!(out, "{value}{unit}");
    }
}

/// A year as NumPy prints it: at least four characters, sign included (`0005`, `-001`, `12345`).
fn write_year(out: &mut String, year: i128) {
    let _ = write!(out, "{year:04}");
}

/// Appends the calendar date `days` after 1970-01-01 (proleptic Gregorian).
fn write_date(out: &mut String, days: i128) {
    let (year, month, day) = civil_from_days(days);
    write_year(out, year);
    let _ = write!(out, "-{month:02}-{day:02}");
}

/// Appends date and time for `ticks` units, where `per_day` units make a day: hours when it is
/// 24, minutes for 1440, and seconds with `frac_digits` fractional digits for `86400`.
fn write_time(out: &mut String, ticks: i128, per_day: i128, frac_digits: u32) {
    let scale = 10i128.pow(frac_digits);
    let per_day = per_day * scale;
    write_date(out, ticks.div_euclid(per_day));
    let in_day = ticks.rem_euclid(per_day);
    match per_day / scale {
        24 => {
            let _ = write!(out, "T{in_day:02}");
        }
        1440 => {
            let _ = write!(out, "T{:02}:{:02}", in_day / 60, in_day % 60);
        }
        _ => {
            let seconds = in_day / scale;
            let _ = write!(
                out,
                "T{:02}:{:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            );
            if frac_digits > 0 {
                let width = frac_digits as usize;
                let _ = write!(out, ".{:0width$}", in_day % scale);
            }
        }
    }
}

/// Year, month and day of the day `days` after 1970-01-01, in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`, over i128 so no count NumPy can store overflows).
fn civil_from_days(days: i128) -> (i128, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i128::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn datetime(value: i64, unit: TimeUnit, multiplier: u64) -> String {
        let mut out = String::new();
        write_datetime(&mut out, value, DateTimeUnit { unit, multiplier });
        out
    }

    // Expected texts are NumPy 2.4's str(np.datetime64(value, unit)).
    #[test]
    fn matches_numpy_str() {
        assert_eq!(datetime(-1, TimeUnit::Years, 1), "1969");
        assert_eq!(datetime(1, TimeUnit::Weeks, 1), "1970-01-08");
        assert_eq!(
            datetime(-1, TimeUnit::Nanoseconds, 1),
            "1969-12-31T23:59:59.999999999"
        );
        assert_eq!(
            datetime(1, TimeUnit::Picoseconds, 1),
            "1970-01-01T00:00:00.000000000001"
        );
        assert_eq!(
            datetime(1, TimeUnit::Attoseconds, 1),
            "1970-01-01T00:00:00.000000000000000001"
        );
        assert_eq!(
            datetime(1_000_000_000_000_000_000, TimeUnit::Seconds, 1),
            "31688740476-10-23T01:46:40"
        );
        assert_eq!(datetime(5, TimeUnit::Minutes, 1), "1970-01-01T00:05");
        assert_eq!(datetime(5, TimeUnit::Hours, 1), "1970-01-01T05");
        assert_eq!(datetime(5, TimeUnit::Months, 1), "1970-06");
        assert_eq!(datetime(-5, TimeUnit::Months, 1), "1969-08");
        assert_eq!(datetime(3, TimeUnit::Seconds, 25), "1970-01-01T00:01:15");
        assert_eq!(
            datetime(-(1 << 62) * 2 + 1, TimeUnit::Seconds, 1),
            "-292277022657-01-27T08:29:53"
        );
        assert_eq!(
            datetime(i64::MAX, TimeUnit::Days, 1),
            "25252734927768524-07-27"
        );
        assert_eq!(datetime(NAT, TimeUnit::Days, 1), "NaT");
        assert_eq!(datetime(42, TimeUnit::Generic, 1), "42");
    }

    #[test]
    fn timedeltas_keep_the_unit() {
        let mut out = String::new();
        write_timedelta(
            &mut out,
            -3,
            DateTimeUnit {
                unit: TimeUnit::Seconds,
                multiplier: 25,
            },
        );
        assert_eq!(out, "-3[25s]");
    }
}
