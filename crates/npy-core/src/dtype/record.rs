//! Constructing and inspecting [`Record`] dtypes, with the layout rules NumPy can save.

use std::collections::HashSet;

use super::limits::{MAX_ITEMSIZE, MAX_NESTING_DEPTH};
use super::value_repr::repr_str;
use super::{DType, Field, Record};
use crate::error::{Error, ErrorKind, Result};

impl Field {
    /// A field without a title.
    pub fn new(name: impl Into<String>, dtype: DType, offset: usize) -> Field {
        Field {
            name: name.into(),
            title: None,
            dtype,
            offset,
        }
    }

    /// The same field with a title (`(('title', 'name'), fmt)` in a descr).
    #[must_use]
    pub fn with_title(self, title: impl Into<String>) -> Field {
        Field {
            title: Some(title.into()),
            ..self
        }
    }
}

impl Record {
    /// Builds a record from fields at explicit offsets within items of `itemsize` bytes.
    ///
    /// The rules are those under which NumPy can write the dtype to a header (`dtype.descr`):
    ///
    /// * fields are in increasing offset order and do not overlap (each starts at or after the
    ///   end of the previous one; zero-size fields may share an offset);
    /// * every field ends within `itemsize`, and `itemsize` is at most [`MAX_ITEMSIZE`];
    /// * names are unique, and a title equals no name and no other title (NumPy indexes fields
    ///   by both); names and titles may be empty;
    /// * every field dtype is valid ([`DType::validate`]) and nesting stays within
    ///   [`MAX_NESTING_DEPTH`].
    ///
    /// Gaps are padding. Note that a field named `''` whose dtype is void or a subarray is
    /// indistinguishable from padding in a descr, so it does not survive a save and load.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] when a rule is broken, [`ErrorKind::Overflow`] when
    /// `itemsize` is too large.
    pub fn new(fields: Vec<Field>, itemsize: usize) -> Result<Record> {
        if itemsize > MAX_ITEMSIZE {
            return Err(Error::new(
                ErrorKind::Overflow,
                format!(
                    "record itemsize {itemsize} is larger than {MAX_ITEMSIZE} bytes \
                     (NumPy: integer won't fit into a C int)"
                ),
            ));
        }
        let invalid = |message: String| Err(Error::new(ErrorKind::InvalidArgument, message));
        let mut keys: HashSet<&str> = HashSet::with_capacity(fields.len());
        let mut end = 0usize;
        for field in &fields {
            field.dtype.validate()?;
            if field.dtype.depth() >= MAX_NESTING_DEPTH {
                return invalid(format!(
                    "dtype nests deeper than {MAX_NESTING_DEPTH} levels"
                ));
            }
            if field.offset < end {
                return invalid(format!(
                    "field {} at offset {} overlaps the previous field or is out of order \
                     (NumPy: dtype.descr is not defined for types with overlapping or \
                     out-of-order fields)",
                    repr_str(&field.name),
                    field.offset
                ));
            }
            end = match field.offset.checked_add(field.dtype.itemsize()) {
                Some(field_end) if field_end <= itemsize => field_end,
                _ => {
                    return invalid(format!(
                        "field {} at offset {} with itemsize {} does not fit in a record of \
                         {itemsize} bytes",
                        repr_str(&field.name),
                        field.offset,
                        field.dtype.itemsize()
                    ))
                }
            };
            if !keys.insert(&field.name) {
                return invalid(format!(
                    "field name {} already used as a name or title",
                    repr_str(&field.name)
                ));
            }
            if let Some(title) = &field.title {
                if !keys.insert(title) {
                    return invalid(format!(
                        "title {} already used as a name or title",
                        repr_str(title)
                    ));
                }
            }
        }
        Ok(Record { fields, itemsize })
    }

    /// Builds a packed record: fields back to back in the given order, no padding, no titles.
    ///
    /// # Errors
    ///
    /// As [`Record::new`]; [`ErrorKind::Overflow`] when the total size exceeds [`MAX_ITEMSIZE`].
    pub fn packed(fields: Vec<(String, DType)>) -> Result<Record> {
        let mut offset = 0usize;
        let mut built = Vec::with_capacity(fields.len());
        for (name, dtype) in fields {
            let size = dtype.itemsize();
            built.push(Field::new(name, dtype, offset));
            offset = offset
                .checked_add(size)
                .filter(|&total| total <= MAX_ITEMSIZE)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Overflow,
                        format!("packed record is larger than {MAX_ITEMSIZE} bytes"),
                    )
                })?;
        }
        Record::new(built, offset)
    }

    /// The fields, in increasing offset order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The size of one record in bytes, padding included.
    pub const fn itemsize(&self) -> usize {
        self.itemsize
    }

    /// The field with this name (titles are not searched).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Takes the fields out of the record.
    pub fn into_fields(self) -> Vec<Field> {
        self.fields
    }
}
