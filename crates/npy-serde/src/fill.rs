//! Filling one vector's spare capacity from several threads at once.
//!
//! Rows decoded on different threads must end up in one `Vec<T>` in order. Collecting each
//! thread's rows into its own vector and concatenating them copies half the output again (for
//! 10 million rows, a quarter of the whole read's time). Instead every thread writes its rows
//! straight into its own disjoint stretch of the vector's spare capacity, and the vector's
//! length is set once all stretches are full.
//!
//! This is the crate's only `unsafe` code: one `set_len` and one in-place drop, both guarded by
//! the count of slots a [`Slots`] has written.
#![allow(unsafe_code)]

use std::mem::MaybeUninit;
use std::ops::Range;

use crate::de::rows::RowSink;

/// A stretch of uninitialised slots written front to back.
///
/// Dropping it drops the values it wrote (unless [`fill_in_parallel`] has handed them over to
/// the vector), so an error or a panic halfway leaks nothing.
pub(crate) struct Slots<'a, T> {
    slots: &'a mut [MaybeUninit<T>],
    /// Slots `..filled` hold values.
    filled: usize,
}

impl<'a, T> Slots<'a, T> {
    fn new(slots: &'a mut [MaybeUninit<T>]) -> Self {
        Slots { slots, filled: 0 }
    }

    fn is_full(&self) -> bool {
        self.filled == self.slots.len()
    }
}

impl<T> RowSink<T> for Slots<'_, T> {
    /// Writes the next slot. A value past the last slot is dropped: the callers size each
    /// stretch to its rows, and a stretch that ends up short or overfull is refused by
    /// [`fill_in_parallel`] anyway.
    #[inline(always)]
    fn push_row(&mut self, value: T) {
        if let Some(slot) = self.slots.get_mut(self.filled) {
            slot.write(value);
            self.filled += 1;
        }
    }
}

impl<T> Drop for Slots<'_, T> {
    fn drop(&mut self) {
        for slot in &mut self.slots[..self.filled] {
            // SAFETY: `push_row` initialised exactly the slots before `filled`, and each is
            // dropped once: `filled` only grows, and this runs once. When the values have been
            // handed to the vector, `fill_in_parallel` forgets the `Slots` instead of dropping
            // it.
            unsafe { slot.assume_init_drop() };
        }
    }
}

/// Appends `count` values to `out`, produced by `parts` workers on scoped threads (the first on
/// the calling thread): worker `k` gets a range of indices and the slots for exactly them, and
/// must push one value per index, in order.
///
/// The ranges split `0..count` into `parts` near-equal consecutive pieces. On success `out`
/// has grown by `count`. When a worker fails, the error of the first failing worker (in index
/// order) is returned and `out` is unchanged; a worker that returns `Ok` without filling its
/// slots is a bug reported as an error. A panicking worker's panic is resumed here after the
/// others finish, with every value written so far dropped.
pub(crate) fn fill_in_parallel<T, E, W>(
    out: &mut Vec<T>,
    count: usize,
    parts: usize,
    work: W,
    incomplete: impl FnOnce() -> E,
) -> Result<(), E>
where
    T: Send,
    E: Send,
    W: Fn(Range<usize>, &mut Slots<'_, T>) -> Result<(), E> + Sync,
{
    let parts = parts.clamp(1, count.max(1));
    out.reserve(count);
    let spare = &mut out.spare_capacity_mut()[..count];
    let ranges = split(count, parts);

    // Each worker gives its `Slots` back, so they are all dropped (on failure) or forgotten
    // (on success) here, after every thread has finished.
    let outcomes: Vec<Outcome<'_, T, E>> = std::thread::scope(|scope| {
        let mut stretches = Vec::with_capacity(parts);
        let mut rest = &mut *spare;
        for range in &ranges {
            let (head, tail) = rest.split_at_mut(range.len());
            stretches.push(head);
            rest = tail;
        }
        let mut stretches = stretches.into_iter().zip(ranges.iter().cloned());
        let (first_slots, first_range) = stretches.next().expect("at least one part");
        let work = &work;
        let handles: Vec<_> = stretches
            .map(|(slots, range)| {
                scope.spawn(move || {
                    let mut slots = Slots::new(slots);
                    let result = work(range, &mut slots);
                    (slots, result)
                })
            })
            .collect();
        let first = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut slots = Slots::new(first_slots);
            let result = work(first_range, &mut slots);
            (slots, result)
        }));
        let mut outcomes = vec![first];
        outcomes.extend(handles.into_iter().map(|h| h.join()));
        outcomes
    });

    let mut done = Vec::with_capacity(parts);
    let mut failure = None;
    let mut panic = None;
    for outcome in outcomes {
        match outcome {
            Ok((slots, Ok(()))) if slots.is_full() => done.push(slots),
            // A worker that stopped short without an error: reported as `incomplete()`.
            Ok((_slots, Ok(()))) => {
                failure.get_or_insert(None);
            }
            Ok((_slots, Err(e))) => {
                failure.get_or_insert(Some(e));
            }
            Err(payload) => {
                panic.get_or_insert(payload);
            }
        }
    }
    if let Some(payload) = panic {
        drop(done);
        std::panic::resume_unwind(payload);
    }
    if let Some(failure) = failure {
        // Dropping `done` drops the values the successful workers wrote.
        drop(done);
        return Err(failure.unwrap_or_else(incomplete));
    }
    // Every stretch is full: hand the values to the vector.
    for slots in done {
        std::mem::forget(slots);
    }
    let len = out.len();
    // SAFETY: `reserve(count)` made room for `count` more values; the stretches cover the
    // first `count` spare slots exactly (consecutive `split_at_mut` over `ranges`, which
    // partition `0..count`), and every stretch is full, so slots `len..len + count` are all
    // initialised. Their `Slots` were forgotten above, so nothing else drops them.
    unsafe { out.set_len(len + count) };
    Ok(())
}

/// What a worker gives back: its slots and its result, or its panic.
type Outcome<'a, T, E> = std::thread::Result<(Slots<'a, T>, Result<(), E>)>;

/// `parts` consecutive near-equal ranges covering `0..count`.
fn split(count: usize, parts: usize) -> Vec<Range<usize>> {
    (0..parts)
        .map(|k| count * k / parts..count * (k + 1) / parts)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Counts live instances, to prove nothing leaks or is dropped twice.
    struct Tracked(usize, Arc<AtomicUsize>);

    impl Tracked {
        fn new(value: usize, live: &Arc<AtomicUsize>) -> Self {
            live.fetch_add(1, Ordering::SeqCst);
            Tracked(value, Arc::clone(live))
        }
    }

    impl Drop for Tracked {
        fn drop(&mut self) {
            self.1.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn fills_in_order_after_existing_values() {
        for parts in [1, 2, 3, 7, 100] {
            let mut out = vec![String::from("first")];
            let result: Result<(), ()> = fill_in_parallel(
                &mut out,
                50,
                parts,
                |range, slots| {
                    for i in range {
                        slots.push_row(i.to_string());
                    }
                    Ok(())
                },
                || (),
            );
            assert_eq!(result, Ok(()));
            assert_eq!(out.len(), 51);
            assert_eq!(out[0], "first");
            for (i, s) in out[1..].iter().enumerate() {
                assert_eq!(s, &i.to_string(), "parts {parts}");
            }
        }
    }

    #[test]
    fn a_failing_worker_leaves_the_vector_unchanged_and_leaks_nothing() {
        let live = Arc::new(AtomicUsize::new(0));
        let mut out = vec![Tracked::new(99, &live)];
        let result = fill_in_parallel(
            &mut out,
            40,
            4,
            |range, slots| {
                for i in range {
                    if i == 25 || i == 35 {
                        return Err(i);
                    }
                    slots.push_row(Tracked::new(i, &live));
                }
                Ok(())
            },
            || usize::MAX,
        );
        // The first failing worker's error, in index order.
        assert_eq!(result, Err(25));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0, 99);
        assert_eq!(live.load(Ordering::SeqCst), 1);
        drop(out);
        assert_eq!(live.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_worker_that_writes_too_few_values_is_an_error() {
        let live = Arc::new(AtomicUsize::new(0));
        let mut out = Vec::new();
        let result = fill_in_parallel(
            &mut out,
            10,
            2,
            |range, slots| {
                for i in range.start..range.end - 1 {
                    slots.push_row(Tracked::new(i, &live));
                }
                Ok(())
            },
            || "incomplete",
        );
        assert_eq!(result.err(), Some("incomplete"));
        assert!(out.is_empty());
        assert_eq!(live.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn extra_values_are_dropped_not_written_past_the_stretch() {
        let live = Arc::new(AtomicUsize::new(0));
        let mut out = Vec::new();
        let result: Result<(), ()> = fill_in_parallel(
            &mut out,
            6,
            3,
            |range, slots| {
                for i in range.start..range.end + 5 {
                    slots.push_row(Tracked::new(i, &live));
                }
                Ok(())
            },
            || (),
        );
        assert_eq!(result, Ok(()));
        let values: Vec<usize> = out.iter().map(|t| t.0).collect();
        assert_eq!(values, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(live.load(Ordering::SeqCst), 6);
        drop(out);
        assert_eq!(live.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_panicking_worker_panics_the_caller_and_leaks_nothing() {
        let live = Arc::new(AtomicUsize::new(0));
        let mut out = Vec::new();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _: Result<(), ()> = fill_in_parallel(
                &mut out,
                30,
                3,
                |range, slots| {
                    for i in range {
                        if i == 15 {
                            panic!("worker panics at {i}");
                        }
                        slots.push_row(Tracked::new(i, &live));
                    }
                    Ok(())
                },
                || (),
            );
        }));
        assert!(caught.is_err());
        assert!(out.is_empty());
        assert_eq!(live.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn zero_values() {
        let mut out: Vec<u8> = vec![1];
        let result: Result<(), ()> = fill_in_parallel(&mut out, 0, 4, |_, _| Ok(()), || ());
        assert_eq!(result, Ok(()));
        assert_eq!(out, vec![1]);
    }
}
