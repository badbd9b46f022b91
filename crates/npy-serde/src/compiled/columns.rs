//! The file's record as the derive's plans see it: fields looked up by name or title.

use npy_core::{Field as FileField, Record as FileRecord};

/// The columns of the file being read (the fields of its record dtype).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    record: &'a FileRecord,
}

impl<'a> Columns<'a> {
    pub(crate) fn new(record: &'a FileRecord) -> Self {
        Columns { record }
    }

    /// The field named `name`, else the field titled `name` (as [`crate::from_path`] matches).
    pub(crate) fn find(&self, name: &str) -> Option<&'a FileField> {
        let fields = self.record.fields();
        fields
            .iter()
            .find(|f| f.name == name)
            .or_else(|| fields.iter().find(|f| f.title.as_deref() == Some(name)))
    }

    /// The field named exactly `name` (for writing: the dtype was traced from the same type).
    pub(crate) fn find_name(&self, name: &str) -> Option<&'a FileField> {
        self.record.fields().iter().find(|f| f.name == name)
    }

    /// Bytes of one row.
    pub(crate) fn itemsize(&self) -> usize {
        self.record.itemsize()
    }
}
