//! Deserialization: rows of a NumPy array into Rust values through serde.
//!
//! * [`node`]: the file's dtype as a tree built once per reader.
//! * [`plan`]: per struct type, which file field feeds which Rust field, built once.
//! * [`value`]: the `Deserializer` over one value (a row, a field, a subarray element).
//! * [`access`]: the `SeqAccess` / `MapAccess` / `EnumAccess` it hands to visitors, and small
//!   deserializers for keys and already-decoded values.
//! * [`rows`]: how rows sit in the data (C or Fortran order, elements or sub-blocks) and the
//!   per-row driver.
//!
//! Plans are settled by probing the Rust type's visitor on the first row that reaches them
//! (see [`plan`]); a probe aborts that row, which the driver in [`rows`] then decodes again.
//!
//! The hot path, per row: one `T::deserialize` over the row's bytes; per field, a jump on a
//! one-byte code and an unaligned load. No allocation except what `T` itself owns (a
//! `String`'s buffer), no name lookups, no dtype matching.

pub(crate) mod access;
pub(crate) mod node;
pub(crate) mod plan;
pub(crate) mod rows;
pub(crate) mod value;

use std::cell::Cell;

use crate::error::{Error, ErrorKind};

thread_local! {
    /// Plan probing state of this thread: [`FIRED`] while a probe has aborted the row being
    /// decoded (which must then be decoded again), [`OFF`] while probing is switched off.
    static PROBE: Cell<u8> = const { Cell::new(0) };
}

const FIRED: u8 = 1;
const OFF: u8 = 2;

/// Records that a probe aborted this row and returns the error that unwinds it.
#[cold]
pub(crate) fn fire_probe() -> Error {
    PROBE.with(|p| p.set(p.get() | FIRED));
    Error::new(
        ErrorKind::InvalidData,
        "internal: row aborted while probing the Rust type (retried)",
    )
}

/// Whether a probe aborted the row just decoded.
#[inline(always)]
pub(crate) fn probe_pending() -> bool {
    PROBE.with(|p| p.get() & FIRED != 0)
}

/// Clears the aborted-row flag.
pub(crate) fn clear_probe() {
    PROBE.with(|p| p.set(p.get() & !FIRED));
}

/// Whether unsettled plans may probe (else they settle on the safe choice at once).
pub(crate) fn probing() -> bool {
    PROBE.with(|p| p.get() & OFF == 0)
}

/// Switches probing off or back on.
pub(crate) fn set_probing(on: bool) {
    PROBE.with(|p| p.set(if on { p.get() & !OFF } else { p.get() | OFF }));
}

/// Most attempts a probe may restart before probing is switched off.
const MAX_PROBE_ROUNDS: usize = 256;

/// Runs `attempt` (the decoding of one value) until no probe aborts it; after
/// [`MAX_PROBE_ROUNDS`] the plans settle on their safe choice without probing.
pub(crate) fn settle<T>(mut attempt: impl FnMut() -> Result<T, Error>) -> Result<T, Error> {
    for _ in 0..MAX_PROBE_ROUNDS {
        let result = attempt();
        if !probe_pending() {
            return result;
        }
        clear_probe();
    }
    set_probing(false);
    let result = attempt();
    set_probing(true);
    clear_probe();
    result
}

/// Prefixes the error's field path with `name` (`name`, `name.inner`, `name[2]`).
#[cold]
pub(crate) fn in_field(err: Error, name: &str) -> Error {
    prefix_path(err, name)
}

/// Prefixes the error's field path with the element index `[i]`.
#[cold]
pub(crate) fn in_element(err: Error, index: u64) -> Error {
    prefix_path(err, &format!("[{index}]"))
}

fn prefix_path(err: Error, segment: &str) -> Error {
    let path = match err.field() {
        None => return err.at_field(segment),
        Some(inner) if inner.starts_with('[') => format!("{segment}{inner}"),
        Some(inner) => format!("{segment}.{inner}"),
    };
    let mut rebuilt = Error::new(err.kind(), err.message().to_owned()).at_field(path);
    if let Some(row) = err.row() {
        rebuilt = rebuilt.at_row(row);
    }
    rebuilt
}

/// "cannot read `<dtype>` as `<rust>`" plus why.
#[cold]
pub(crate) fn mismatch(dtype: &str, want: &str, why: &str) -> Error {
    let mut message = format!("cannot read {dtype} as {want}");
    if !why.is_empty() {
        message.push_str(": ");
        message.push_str(why);
    }
    Error::new(ErrorKind::TypeMismatch, message)
}

/// Adds the file dtype and wanted type to an error a visitor returned for a value (an integer
/// out of range for the Rust type, say).
#[cold]
pub(crate) fn conversion(err: Error, dtype: &str, want: &str) -> Error {
    if err.field().is_some() {
        return err;
    }
    Error::new(
        err.kind(),
        format!("cannot read {dtype} as {want}: {}", err.message()),
    )
}
