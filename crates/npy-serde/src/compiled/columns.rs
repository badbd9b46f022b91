//! The file's record as the derive's plans see it: its fields looked up as the serde path looks
//! them up ([`RecordNode::find`]: by name, else title).

use npy_core::Record as FileRecord;

use crate::de::node::{FieldNode, RecordNode};

/// The columns of the file being read or written (the fields of its record dtype).
#[doc(hidden)]
#[derive(Debug)]
pub struct Columns {
    record: RecordNode,
}

impl Columns {
    pub(crate) fn new(record: &FileRecord) -> Self {
        Columns {
            record: RecordNode::new(record),
        }
    }

    /// The field named `name`, else the field titled `name` (as [`crate::from_path`] matches).
    pub(crate) fn find(&self, name: &str) -> Option<&FieldNode> {
        self.record.find(name).map(|i| &self.record.fields[i])
    }

    /// The field named exactly `name` (for writing: the dtype was traced from the same type).
    pub(crate) fn find_name(&self, name: &str) -> Option<&FieldNode> {
        self.record.fields.iter().find(|f| f.name == name)
    }

    /// Bytes of one row.
    pub(crate) fn itemsize(&self) -> usize {
        self.record.itemsize
    }
}
