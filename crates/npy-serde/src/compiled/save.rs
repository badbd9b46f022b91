//! Writing compiled rows: the serde path's dtype and file, with each row encoded by the
//! derive's code.

use std::path::Path;

use npy_core::DType;
use serde::Serialize;

use super::columns::Columns;
use super::encode::EncodePlan;
use super::RecordWrite;
use crate::error::Result;
use crate::options::Options;
use crate::ser::Plan;
use crate::write::{prepare, save_encoded, vec_encoded, write_encoded, RowEncoder, SerdeEncoder};

/// The derive's encoder with its plan.
struct CompiledEncoder {
    plan: Vec<EncodePlan>,
    size: usize,
}

impl<T: RecordWrite + Sync> RowEncoder<T> for CompiledEncoder {
    fn encode(&self, rows: &[T], first: u64, out: &mut [u8]) -> Result<()> {
        if self.size == 0 {
            for (i, row) in rows.iter().enumerate() {
                row.__encode(&mut [], &self.plan)
                    .map_err(|e| e.at_row(first + i as u64))?;
            }
            return Ok(());
        }
        for (i, (row, bytes)) in rows.iter().zip(out.chunks_exact_mut(self.size)).enumerate() {
            if let Err(e) = row.__encode(bytes, &self.plan) {
                return Err(e.at_row(first + i as u64));
            }
        }
        Ok(())
    }
}

/// The derive's encoder for the traced record, or `None` when its plan does not cover the
/// record exactly (an explicit dtype, a type whose serialization the derive does not mirror):
/// then the serde encoder writes the rows.
fn compiled_encoder<T: RecordWrite>(plan: &Plan) -> Option<CompiledEncoder> {
    let DType::Record(record) = plan.dtype() else {
        return None;
    };
    let fields = T::__encode_plan(&Columns::new(record)).ok()??;
    if !super::encode::covers(&fields, record) {
        return None;
    }
    Some(CompiledEncoder {
        plan: fields,
        size: plan.itemsize(),
    })
}

/// The compiled encoder when it covers the record, else serde's (chosen once per write).
enum Encoder<'p> {
    Compiled(CompiledEncoder),
    Serde(SerdeEncoder<'p>),
}

impl<T: RecordWrite + Serialize + Sync> RowEncoder<T> for Encoder<'_> {
    fn encode(&self, rows: &[T], first: u64, out: &mut [u8]) -> Result<()> {
        match self {
            Encoder::Compiled(encoder) => encoder.encode(rows, first, out),
            Encoder::Serde(encoder) => encoder.encode(rows, first, out),
        }
    }
}

fn encoder<T: RecordWrite>(plan: &Plan) -> Encoder<'_> {
    compiled_encoder::<T>(plan).map_or(Encoder::Serde(SerdeEncoder(plan)), Encoder::Compiled)
}

pub(crate) fn save<T: RecordWrite + Serialize + Sync>(
    path: &Path,
    rows: &[T],
    options: &Options,
) -> Result<()> {
    let plan = prepare(rows, options)?;
    save_encoded(path, rows, options, &plan, &encoder::<T>(&plan))
}

pub(crate) fn to_writer<W: std::io::Write, T: RecordWrite + Serialize + Sync>(
    writer: W,
    rows: &[T],
    options: &Options,
) -> Result<()> {
    let plan = prepare(rows, options)?;
    write_encoded(writer, rows, options, &plan, &encoder::<T>(&plan))
}

pub(crate) fn to_vec<T: RecordWrite + Serialize + Sync>(
    rows: &[T],
    options: &Options,
) -> Result<Vec<u8>> {
    let plan = prepare(rows, options)?;
    vec_encoded(rows, options, &plan, &encoder::<T>(&plan))
}

#[cfg(all(test, feature = "derive"))]
mod tests {
    use serde::Serialize;

    use super::*;
    use crate::write::prepare;
    use crate::StringMode;

    #[derive(Serialize, crate::RecordWrite)]
    struct Row {
        id: i64,
        label: String,
        #[serde(skip)]
        _cache: u8,
    }

    fn rows() -> Vec<Row> {
        vec![Row {
            id: 1,
            label: "a".into(),
            _cache: 0,
        }]
    }

    #[test]
    fn the_compiled_encoder_covers_a_traced_record() {
        for strings in [StringMode::Unicode, StringMode::Bytes] {
            let plan = prepare(&rows(), &Options::new().strings(strings)).unwrap();
            assert!(compiled_encoder::<Row>(&plan).is_some());
        }
    }

    #[test]
    fn records_the_plan_does_not_cover_go_to_serde() {
        #[derive(Serialize, crate::RecordWrite)]
        struct Empty {
            a: String,
            b: String,
        }
        // Two zero-size fields at one offset: the plan cannot tell them apart by offset, so
        // the serde encoder writes (bytes: none per row either way).
        let s0 =
            || DType::Scalar(npy_core::Scalar::native(npy_core::ScalarKind::Bytes(0)).unwrap());
        let record = npy_core::Record::packed(vec![("a".into(), s0()), ("b".into(), s0())]);
        let options = Options::new().dtype(DType::Record(record.unwrap()));
        let rows = [Empty {
            a: String::new(),
            b: String::new(),
        }];
        let plan = prepare(&rows, &options).unwrap();
        assert!(compiled_encoder::<Empty>(&plan).is_none());
        assert_eq!(
            super::to_vec(&rows, &options).unwrap(),
            crate::to_vec_with(&rows, &options).unwrap()
        );
    }
}
