//! The row plan: a dtype flattened once into the steps a row encoder walks, in the order serde
//! writes the row's values.

use npy_core::{ByteOrder, DType, DateTimeUnit, Scalar, ScalarKind, TimeUnit};

use crate::error::{Error, ErrorKind, Result};
use crate::schema::{Node, RecordKind};
use crate::types::{units, Unit};

/// What one step of a plan writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `|b1`
    Bool,
    /// `i1`..`i8`
    Int { width: u8, big: bool },
    /// `u1`..`u8`
    UInt { width: u8, big: bool },
    /// `f2`, `f4`, `f8`
    Float { width: u8, big: bool },
    /// `c8`, `c16`
    Complex { width: u8, big: bool },
    /// `U<chars>`
    Unicode { chars: usize, big: bool },
    /// `S<len>`
    Bytes { len: usize },
    /// `V<len>`
    Void { len: usize },
    /// `M8[unit]` / `m8[unit]`; `unit` is set when a Rust type carries it (not for generic
    /// units or multiples such as `[25s]`).
    Time {
        delta: bool,
        unit: Option<TimeUnit>,
        big: bool,
    },
    /// A record of `fields` fields: the following steps, up to `end`.
    Record { fields: usize },
    /// `len` elements of `elem_size` bytes; the element's steps follow, up to `end`.
    SubArray { len: usize, elem_size: usize },
}

impl Op {
    /// A number that identifies the op with its width and byte order, so the encoder's fast
    /// path is one compare (`expected.key()` folds to a constant).
    #[inline(always)]
    pub(crate) const fn key(self) -> u32 {
        let (kind, width, big) = match self {
            Op::Bool => (1, 1, false),
            Op::Int { width, big } => (2, width, big),
            Op::UInt { width, big } => (3, width, big),
            Op::Float { width, big } => (4, width, big),
            Op::Complex { width, big } => (5, width, big),
            Op::Unicode { big, .. } => (6, 0, big),
            Op::Bytes { .. } => (7, 0, false),
            Op::Void { .. } => (8, 0, false),
            Op::Time { big, .. } => (9, 8, big),
            Op::Record { .. } => (10, 0, false),
            Op::SubArray { .. } => (11, 0, false),
        };
        (kind << 16) | ((width as u32) << 8) | (big as u32)
    }

    /// The dtype text of a step, for error messages.
    pub(crate) fn describe(&self) -> String {
        let o = |big: bool| if big { '>' } else { '<' };
        match *self {
            Op::Bool => "|b1".to_owned(),
            Op::Int { width: 1, .. } => "|i1".to_owned(),
            Op::UInt { width: 1, .. } => "|u1".to_owned(),
            Op::Int { width, big } => format!("{}i{width}", o(big)),
            Op::UInt { width, big } => format!("{}u{width}", o(big)),
            Op::Float { width, big } => format!("{}f{width}", o(big)),
            Op::Complex { width, big } => format!("{}c{width}", o(big)),
            Op::Unicode { chars, big } => format!("{}U{chars}", o(big)),
            Op::Bytes { len } => format!("|S{len}"),
            Op::Void { len } => format!("|V{len}"),
            Op::Time { delta, unit, big } => {
                let unit = unit
                    .map(|u| format!("[{}]", u.as_str()))
                    .unwrap_or_default();
                format!("{}{}8{unit}", o(big), if delta { 'm' } else { 'M' })
            }
            Op::Record { fields } => format!("a record of {fields} fields"),
            Op::SubArray { len, .. } => format!("a subarray of {len} elements"),
        }
    }
}

/// One step: write `op` at `offset` bytes from the enclosing record or subarray element.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// Byte offset from the start of the enclosing record (or subarray element).
    pub(crate) offset: usize,
    /// Index of the first step after this one's subtree.
    pub(crate) end: usize,
    /// What to write.
    pub(crate) op: Op,
    /// `op.key()`.
    pub(crate) key: u32,
    /// The field name, checked against serde's key for struct fields (empty otherwise).
    pub(crate) name: Box<str>,
    /// The key the traced struct passed for this field: a key at the same address matches
    /// without comparing bytes.
    pub(crate) traced_key: Option<&'static str>,
}

/// A dtype flattened into steps in serialization order, with the field path of each step for
/// error messages.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) steps: Vec<Step>,
    paths: Vec<String>,
    itemsize: usize,
    dtype: DType,
}

impl Plan {
    /// Flattens `dtype`. `node`, the traced first row, gives the order in which a struct writes
    /// its fields, which an explicit dtype may list in another order.
    pub(crate) fn new(dtype: DType, node: Option<&Node>) -> Result<Plan> {
        let mut plan = Plan {
            steps: Vec::new(),
            paths: Vec::new(),
            itemsize: dtype.itemsize(),
            dtype: dtype.clone(),
        };
        let mut path = String::new();
        plan.emit(&dtype, node, 0, "", &mut path)?;
        Ok(plan)
    }

    /// The bytes of one row.
    pub(crate) fn itemsize(&self) -> usize {
        self.itemsize
    }

    /// The row dtype.
    pub(crate) fn dtype(&self) -> &DType {
        &self.dtype
    }

    /// The field path of step `index` (empty for the row itself).
    pub(crate) fn path(&self, index: usize) -> &str {
        self.paths.get(index).map_or("", String::as_str)
    }

    fn emit(
        &mut self,
        dtype: &DType,
        node: Option<&Node>,
        offset: usize,
        name: &str,
        path: &mut String,
    ) -> Result<()> {
        let index = self.steps.len();
        let fail = |e: Error, path: &str| {
            if path.is_empty() {
                e
            } else {
                e.at_field(path)
            }
        };
        let op = match dtype {
            DType::Scalar(s) => leaf_op(s).map_err(|e| fail(e, path))?,
            DType::Record(r) => Op::Record {
                fields: r.fields().len(),
            },
            DType::SubArray(s) => match s.shape.first() {
                Some(&len) => Op::SubArray {
                    len: usize::try_from(len).map_err(|_| {
                        fail(Error::new(ErrorKind::Overflow, "subarray too large"), path)
                    })?,
                    elem_size: dtype.itemsize() / (len.max(1) as usize),
                },
                None => return self.emit(&s.base, node, offset, name, path),
            },
        };
        self.steps.push(Step {
            offset,
            end: index + 1,
            op,
            key: op.key(),
            name: name.into(),
            traced_key: None,
        });
        self.paths.push(path.clone());
        match dtype {
            DType::Scalar(_) => {}
            DType::Record(r) => self.emit_fields(r, node, path)?,
            DType::SubArray(s) => {
                let elem_node = match node {
                    Some(Node::Array { elem, .. }) => Some(&**elem),
                    _ => None,
                };
                if s.shape.len() > 1 {
                    let inner = npy_core::SubArray::new((*s.base).clone(), s.shape[1..].to_vec())?;
                    self.emit(&DType::SubArray(inner), elem_node, 0, "", path)?;
                } else {
                    self.emit(&s.base, elem_node, 0, "", path)?;
                }
            }
        }
        self.steps[index].end = self.steps.len();
        Ok(())
    }

    fn emit_fields(
        &mut self,
        record: &npy_core::Record,
        node: Option<&Node>,
        path: &mut String,
    ) -> Result<()> {
        let mismatch = |msg: String, path: &str| {
            let e = Error::new(ErrorKind::TypeMismatch, msg);
            if path.is_empty() {
                e
            } else {
                e.at_field(path)
            }
        };
        let push = |path: &mut String, name: &str| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
            len
        };
        match node {
            Some(Node::Record {
                kind: RecordKind::Struct,
                fields,
            }) => {
                // Struct fields in the order the struct writes them, matched by name.
                for (name, child) in fields {
                    let Some(field) = record.field(name) else {
                        return Err(mismatch(
                            format!("the row has a field `{name}` that the dtype lacks"),
                            path,
                        ));
                    };
                    let len = push(path, name);
                    let index = self.steps.len();
                    self.emit(&field.dtype, Some(child), field.offset, name, path)?;
                    self.steps[index].traced_key = Some(*name);
                    path.truncate(len);
                }
                if let Some(missing) = record
                    .fields()
                    .iter()
                    .find(|f| !fields.iter().any(|(name, _)| *name == f.name))
                {
                    return Err(mismatch(
                        format!(
                            "the dtype has a field `{}` that the row lacks",
                            missing.name
                        ),
                        path,
                    ));
                }
            }
            Some(Node::Record { fields, .. }) => {
                // Tuple elements: positional.
                if fields.len() != record.fields().len() {
                    return Err(mismatch(
                        format!(
                            "the row has {} elements where the dtype has {} fields",
                            fields.len(),
                            record.fields().len()
                        ),
                        path,
                    ));
                }
                for (field, (_, child)) in record.fields().iter().zip(fields) {
                    let len = push(path, &field.name);
                    self.emit(&field.dtype, Some(child), field.offset, &field.name, path)?;
                    path.truncate(len);
                }
            }
            _ => {
                for field in record.fields() {
                    let len = push(path, &field.name);
                    self.emit(&field.dtype, None, field.offset, &field.name, path)?;
                    path.truncate(len);
                }
            }
        }
        Ok(())
    }
}

/// The step of a scalar dtype.
fn leaf_op(s: &Scalar) -> Result<Op> {
    let big = s.order() == ByteOrder::Big;
    let unsupported = |what: &str| {
        Err(Error::new(
            ErrorKind::Unsupported,
            format!("{what} ({s}) has no Rust type to write it from"),
        ))
    };
    Ok(match s.kind() {
        ScalarKind::Bool => Op::Bool,
        ScalarKind::Int(width) => Op::Int { width, big },
        ScalarKind::UInt(width) => Op::UInt { width, big },
        ScalarKind::Float(16) => return unsupported("long double"),
        ScalarKind::Float(width) => Op::Float { width, big },
        ScalarKind::Complex(32) => return unsupported("complex long double"),
        ScalarKind::Complex(width) => Op::Complex { width, big },
        ScalarKind::Bytes(len) => Op::Bytes { len },
        ScalarKind::Unicode(chars) => Op::Unicode { chars, big },
        ScalarKind::Void(len) => Op::Void { len },
        ScalarKind::DateTime(unit) => Op::Time {
            delta: false,
            unit: rust_unit(unit),
            big,
        },
        ScalarKind::TimeDelta(unit) => Op::Time {
            delta: true,
            unit: rust_unit(unit),
            big,
        },
        ScalarKind::Object => return unsupported("a Python object"),
        _ => return unsupported("this dtype"),
    })
}

/// The unit of a datetime dtype when a Rust type (`Datetime64<U>`, `Timedelta64<U>`) has it.
fn rust_unit(unit: DateTimeUnit) -> Option<TimeUnit> {
    (unit.multiplier == 1 && unit.unit != TimeUnit::Generic).then_some(unit.unit)
}

/// The serde name of `Datetime64<U>` / `Timedelta64<U>` for a unit.
pub(crate) fn time_token(unit: TimeUnit, delta: bool) -> Option<&'static str> {
    fn token<U: Unit>(delta: bool) -> &'static str {
        if delta {
            U::TIMEDELTA_TOKEN
        } else {
            U::DATETIME_TOKEN
        }
    }
    Some(match unit {
        TimeUnit::Generic => return None,
        TimeUnit::Years => token::<units::Y>(delta),
        TimeUnit::Months => token::<units::M>(delta),
        TimeUnit::Weeks => token::<units::W>(delta),
        TimeUnit::Days => token::<units::D>(delta),
        TimeUnit::Hours => token::<units::H>(delta),
        TimeUnit::Minutes => token::<units::Min>(delta),
        TimeUnit::Seconds => token::<units::S>(delta),
        TimeUnit::Milliseconds => token::<units::Ms>(delta),
        TimeUnit::Microseconds => token::<units::Us>(delta),
        TimeUnit::Nanoseconds => token::<units::Ns>(delta),
        TimeUnit::Picoseconds => token::<units::Ps>(delta),
        TimeUnit::Femtoseconds => token::<units::Fs>(delta),
        TimeUnit::Attoseconds => token::<units::As>(delta),
    })
}
