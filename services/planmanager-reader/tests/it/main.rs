//! Integration tests of planmanager-reader: the sample generator and the gRPC service over a real
//! socket, on real SQLite files.

// Helpers outside #[test] functions unwrap too: in a test, a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod bad_data;
mod helpers;
mod seed;
mod service;
