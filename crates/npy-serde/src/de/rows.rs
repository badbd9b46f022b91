//! Rows: what one row of a file is, where row `i` sits in the data, and the per-row driver.
//!
//! * A record array's rows are its elements, in C order whatever the file's order (a Fortran
//!   order file's rows are gathered through strides).
//! * A plain array's rows are its elements too (`f64` from `'<f8'`), unless the Rust type asks
//!   for a sequence at the top (`[f32; 3]`, a tuple, a `Vec`) and the array has two or more
//!   dimensions: then a row is one block along the first axis, so a `(n, 3)` `'<f4'` file reads
//!   as `Vec<[f32; 3]>` (and `(n, 2, 3)` as `[[f32; 3]; 2]`). Which one is decided once, before
//!   any data is read, by watching the type's first `deserialize_*` call.

use std::cell::Cell;
use std::marker::PhantomData;

use npy_core::{DType, Header};
use serde::de::{Deserialize, Deserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::node::{c_strides, f_strides, shape_text, Code, Node, SubNode};
use super::value::{Frame, RowDe};
use super::{clear_probe, probe_pending, settle};
use crate::error::{Error, ErrorKind, Result};
use crate::tokens::HALF_F16;

/// Where rows are in the data.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Number of rows.
    pub(crate) rows: u64,
    /// Bytes of one row.
    pub(crate) row_size: usize,
    /// Whether row `i` starts at `i * row_size` (else rows are gathered through strides and
    /// the whole data is needed).
    pub(crate) contiguous: bool,
    /// The row index space (C order) and the byte stride of each of its axes.
    index_dims: Vec<u64>,
    index_strides: Vec<usize>,
}

impl Layout {
    /// Byte offset of row `i` in the data.
    #[inline]
    pub(crate) fn offset(&self, i: u64) -> usize {
        if self.contiguous {
            return i as usize * self.row_size;
        }
        let mut rest = i;
        let mut at = 0usize;
        for axis in (0..self.index_dims.len()).rev() {
            let dim = self.index_dims[axis];
            at += (rest % dim) as usize * self.index_strides[axis];
            rest /= dim;
        }
        at
    }
}

/// The decoding side of one file for one Rust row type: the dtype tree, the plans, the layout.
#[derive(Debug)]
pub(crate) struct Rows {
    node: Node,
    pub(crate) layout: Layout,
}

impl Rows {
    /// Prepares to read rows of `T` from data described by `header`.
    pub(crate) fn new<'de, T: Deserialize<'de>>(header: &Header) -> Result<Rows> {
        let header = header.clone().absorb_subarray();
        if header.dtype.has_object() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "Object arrays cannot be loaded: their data is a Python pickle, which npy-serde \
                 does not decode",
            ));
        }
        let shape = header.shape;
        let item = Node::build(&header.dtype);
        let itemsize = item.size();
        let count = checked_count(&shape)?;
        let c_like = !header.fortran_order || shape.iter().filter(|&&d| d > 1).count() <= 1;

        let blocks = match (&header.dtype, shape.len()) {
            (DType::Scalar(_), ndim) if ndim >= 2 => decide::<T>(&item),
            _ => false,
        };
        if !blocks {
            let layout = if c_like {
                Layout {
                    rows: count,
                    row_size: itemsize,
                    contiguous: true,
                    index_dims: Vec::new(),
                    index_strides: Vec::new(),
                }
            } else {
                Layout {
                    rows: count,
                    row_size: itemsize,
                    contiguous: false,
                    index_strides: f_strides(&shape, itemsize),
                    index_dims: shape,
                }
            };
            return Ok(Rows { node: item, layout });
        }

        let inner = shape[1..].to_vec();
        let block_count: u64 = checked_count(&inner)?;
        let row_size = usize::try_from(block_count)
            .ok()
            .and_then(|n| n.checked_mul(itemsize))
            .ok_or_else(|| Error::new(ErrorKind::Overflow, "a row does not fit in memory"))?;
        let (strides, layout) = if c_like {
            (
                c_strides(&inner, itemsize),
                Layout {
                    rows: shape[0],
                    row_size,
                    contiguous: true,
                    index_dims: Vec::new(),
                    index_strides: Vec::new(),
                },
            )
        } else {
            let all = f_strides(&shape, itemsize);
            (
                all[1..].to_vec(),
                Layout {
                    rows: shape[0],
                    row_size,
                    contiguous: false,
                    index_dims: vec![shape[0]],
                    index_strides: vec![all[0]],
                },
            )
        };
        let descr = format!("({}, {})", item.describe(), shape_text(&inner));
        let node = Node::Sub(Box::new(SubNode {
            base: item,
            dims: inner,
            strides,
            descr,
        }));
        Ok(Rows { node, layout })
    }

    /// What rows in `data` are read from.
    #[inline(always)]
    pub(crate) fn frame<'a, 'de>(&'a self, data: &'de [u8]) -> Frame<'a, 'de> {
        Frame {
            data,
            node: &self.node,
        }
    }

    /// Decodes the row at byte `at` of the frame's data.
    #[inline(always)]
    pub(crate) fn row<'de, T: Deserialize<'de>>(frame: &Frame<'_, 'de>, at: usize) -> Result<T> {
        let result = T::deserialize(RowDe { frame, at });
        if probe_pending() {
            return Rows::row_again(frame, at);
        }
        result
    }

    /// A probe aborted the row: decode it again until the plans settle.
    #[cold]
    #[inline(never)]
    fn row_again<'de, T: Deserialize<'de>>(frame: &Frame<'_, 'de>, at: usize) -> Result<T> {
        clear_probe();
        settle(|| T::deserialize(RowDe { frame, at }))
    }
}

/// Decodes `count` rows of `size` bytes starting at byte `at` of the frame's data (row indices
/// from `first`) onto `out`.
///
/// Rows are decoded four at a time into four separate locals, and only then moved into `out`.
/// A decoded row is written by the (out-of-line) `T::deserialize`; copying it out at once would
/// wait for those writes to land (a store-forwarding stall per row, as much as the rest of a
/// small row's decoding); three calls later they have. A probe (see `plan`) during a group
/// makes the group be decoded again one row at a time.
#[inline(never)]
pub(crate) fn decode_run<'de, T: Deserialize<'de>, S: RowSink<T>>(
    frame: &Frame<'_, 'de>,
    mut at: usize,
    size: usize,
    first: u64,
    count: u64,
    out: &mut S,
) -> Result<()> {
    let mut i = first;
    let end = first + count;
    if size_of::<Result<T>>() <= 4096 {
        while end - i >= 4 {
            let r0 = T::deserialize(RowDe { frame, at });
            let r1 = T::deserialize(RowDe {
                frame,
                at: at + size,
            });
            let r2 = T::deserialize(RowDe {
                frame,
                at: at + 2 * size,
            });
            let r3 = T::deserialize(RowDe {
                frame,
                at: at + 3 * size,
            });
            if probe_pending() {
                drop((r0, r1, r2, r3));
                clear_probe();
                for k in 0..4 {
                    push(out, Rows::row(frame, at + k * size), i + k as u64)?;
                }
            } else {
                push(out, r0, i)?;
                push(out, r1, i + 1)?;
                push(out, r2, i + 2)?;
                push(out, r3, i + 3)?;
            }
            i += 4;
            at += 4 * size;
        }
    }
    while i < end {
        push(out, Rows::row(frame, at), i)?;
        i += 1;
        at += size;
    }
    Ok(())
}

/// Where [`decode_run`] puts decoded rows: a vector, or (decoding on several threads) a
/// stretch of one vector's spare capacity.
pub(crate) trait RowSink<T> {
    /// Appends the next row.
    fn push_row(&mut self, row: T);
}

impl<T> RowSink<T> for Vec<T> {
    #[inline(always)]
    fn push_row(&mut self, row: T) {
        self.push(row);
    }
}

#[inline(always)]
fn push<T, S: RowSink<T>>(out: &mut S, row: Result<T>, index: u64) -> Result<()> {
    match row {
        Ok(row) => {
            out.push_row(row);
            Ok(())
        }
        Err(e) => Err(e.at_row(index)),
    }
}

fn checked_count(dims: &[u64]) -> Result<u64> {
    dims.iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Overflow,
                format!("shape {dims:?} has more elements than fit in 64 bits"),
            )
        })
}

/// Whether `T` reads a plain multi-dimensional array by blocks along the first axis (it asks
/// for a sequence at the top) or element by element.
fn decide<'de, T: Deserialize<'de>>(item: &Node) -> bool {
    let complex = matches!(item, Node::Leaf(l) if matches!(l.code, Code::C8 | Code::C16));
    let choice = Cell::new(None);
    let _ = T::deserialize(DecideDe {
        choice: &choice,
        complex,
        marker: PhantomData,
    });
    choice.get().unwrap_or(false)
}

/// A deserializer that only records whether the first call asks for a sequence.
struct DecideDe<'c, 'de> {
    choice: &'c Cell<Option<bool>>,
    complex: bool,
    marker: PhantomData<&'de ()>,
}

impl DecideDe<'_, '_> {
    fn choose(&self, blocks: bool) -> Error {
        self.choice.set(Some(blocks));
        Error::new(ErrorKind::InvalidData, "internal: row shape decided")
    }
}

impl<'de> Deserializer<'de> for DecideDe<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.choose(false))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.choose(true))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, _visitor: V) -> Result<V::Value> {
        // Complex<T> is a 2-tuple: one element of a complex array, not a block.
        Err(self.choose(!(self.complex && len == 2)))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(self.choose(!(self.complex && len == 2)))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name.starts_with('$') || name == HALF_F16 {
            Err(self.choose(false))
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct map struct enum identifier ignored_any
    }
}
