//! Cross-service tests: the whole export path over real gRPC against octopus-sim.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns; a panic is the failure report

mod bad_input;
mod crash;
mod export;
mod field_cases;
mod helpers;
mod replicas;
mod runs;
mod secrets;
