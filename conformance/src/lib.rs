//! Runs the conformance corpus in `corpus/` against an implementation of the runner contract
//! described in `corpus/README.md`.
