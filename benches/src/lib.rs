//! Benchmarks live in `benches/`; this library only hosts them. See `BENCHMARKS.md` at the
//! repository root for how to run them beside NumPy and for the latest figures.
