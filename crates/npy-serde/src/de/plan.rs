//! Plans: which file field feeds which field of a Rust struct, decided once per (record, type).
//!
//! `deserialize_struct` hands us the wanted field names (`FIELDS`). The plan maps each wanted
//! name to a file field (by name, else by title) once; every later row walks that list and does
//! no name lookups.
//!
//! How the fields are then handed to the type's visitor is the plan's [`Mode`]:
//!
//! * [`Mode::Seq`]: positionally through `visit_seq`, the way bincode feeds a derived struct.
//!   The cheapest: no keys at all. Used when the file has every wanted field.
//! * [`Mode::IndexMap`]: through `visit_map` with each key given as its index in `FIELDS`
//!   (`visit_u64`), which derive matches with an integer `match`. Used when some wanted fields
//!   are absent (so `#[serde(default)]` and `Option` fields can take over).
//! * [`Mode::StrMap`]: through `visit_map` with each key given by name. Always correct.
//!
//! Index keys and positions are only right when `FIELDS` has one entry per field; derive adds
//! `#[serde(alias)]` names to `FIELDS`, which shifts them. Whether that is so, and whether the
//! type accepts a sequence at all, is found out by probing the type's visitor on the first row
//! that reaches the plan (see [`Probe`] and `super::value`): it costs two aborted attempts at one
//! row and is never repeated.

use std::cell::Cell;

use super::node::{Node, RecordNode};

/// How fields are fed to a struct's visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Not probed yet.
    Unprobed,
    /// Index keys are right (no aliases); whether `visit_seq` works is not known yet.
    MapOk,
    /// Positionally, `visit_seq`.
    Seq,
    /// `visit_map`, keys by index in `FIELDS`.
    IndexMap,
    /// `visit_map`, keys by name.
    StrMap,
}

/// One wanted field the file has.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// Index in `FIELDS`.
    pub(crate) wanted: u32,
    /// Index of the file field in its record.
    pub(crate) field: u32,
}

/// Where a wanted field is, for the hot path: its offset in the record and its own copy of the
/// field's node (so reading it needs no lookup in the record).
#[derive(Debug)]
pub(crate) struct Slot {
    pub(crate) offset: usize,
    pub(crate) node: Node,
    /// The file field's name, for error paths.
    pub(crate) name: Box<str>,
}

/// The plan of one struct type over one record.
#[derive(Debug)]
pub(crate) struct StructPlan {
    /// Addresses of the type's name and `FIELDS`, which identify it (stored as integers so
    /// the plan stays `Send`).
    name: usize,
    fields: usize,
    fields_len: usize,
    /// The wanted fields the file has, in `FIELDS` order.
    pub(crate) entries: Box<[Entry]>,
    /// Where each of `entries` is.
    pub(crate) slots: Box<[Slot]>,
    /// Whether every wanted field is in the file.
    pub(crate) all_present: bool,
    pub(crate) mode: Cell<Mode>,
}

impl StructPlan {
    /// Maps `fields` onto `record`.
    pub(crate) fn new(
        record: &RecordNode,
        name: &'static str,
        fields: &'static [&'static str],
    ) -> StructPlan {
        let entries: Box<[Entry]> = fields
            .iter()
            .enumerate()
            .filter_map(|(wanted, want)| {
                record.find(want).map(|field| Entry {
                    wanted: wanted as u32,
                    field: field as u32,
                })
            })
            .collect();
        let slots = entries
            .iter()
            .map(|e| {
                let field = &record.fields[e.field as usize];
                Slot {
                    offset: field.offset,
                    node: Node::build(&field.dtype),
                    name: field.name.as_str().into(),
                }
            })
            .collect();
        let all_present = entries.len() == fields.len();
        // Nothing to feed: any mode works, and a map is what every struct visitor accepts.
        let mode = if fields.is_empty() {
            Mode::IndexMap
        } else {
            Mode::Unprobed
        };
        StructPlan {
            name: name.as_ptr() as usize,
            fields: fields.as_ptr() as usize,
            fields_len: fields.len(),
            entries,
            slots,
            all_present,
            mode: Cell::new(mode),
        }
    }

    /// Whether this plan was built for this type (same name and `FIELDS`).
    #[inline]
    pub(crate) fn is_for(&self, name: &'static str, fields: &'static [&'static str]) -> bool {
        self.name == name.as_ptr() as usize
            && self.fields == fields.as_ptr() as usize
            && self.fields_len == fields.len()
    }
}

/// What a probe of a struct visitor found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probe {
    /// The visitor took an index key and asked for a real value: index keys are right.
    IndexKeysWork,
    /// The visitor ignored the value, refused the key, or took no key: use names.
    UseNames,
    /// The visitor asked for the first element of a sequence.
    SeqWorks,
    /// The visitor did not take a sequence.
    NoSeq,
}

impl Probe {
    /// The plan's next mode after this finding.
    pub(crate) fn apply(self, plan: &StructPlan) {
        let next = match self {
            Probe::IndexKeysWork if plan.all_present => Mode::MapOk,
            Probe::IndexKeysWork => Mode::IndexMap,
            Probe::UseNames => Mode::StrMap,
            Probe::SeqWorks => Mode::Seq,
            Probe::NoSeq => Mode::IndexMap,
        };
        plan.mode.set(next);
    }
}

/// Which file fields feed a tuple (or tuple struct) of `len` elements read from a record.
#[derive(Debug)]
pub(crate) struct TuplePlan {
    pub(crate) len: usize,
    /// File field indices, one per element; `None` when the record cannot feed `len` elements.
    pub(crate) fields: Option<Box<[u32]>>,
}

impl TuplePlan {
    /// Fields named `f0`, `f1`, ... (NumPy's default names) when the record has them all, else
    /// the record's fields by position when there are exactly `len`.
    pub(crate) fn new(record: &RecordNode, len: usize) -> TuplePlan {
        let by_name: Option<Box<[u32]>> = (0..len)
            .map(|i| {
                record
                    .fields
                    .iter()
                    .position(|f| f.name == format!("f{i}"))
                    .map(|p| p as u32)
            })
            .collect();
        let fields = by_name.or_else(|| {
            (record.fields.len() == len).then(|| (0..len as u32).collect::<Box<[u32]>>())
        });
        TuplePlan { len, fields }
    }
}
