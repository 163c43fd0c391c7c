//! Integration tests of planmanager-reader: the sample generator and the gRPC service over a real
//! socket, each case on a real SQLite file and on a real MariaDB database (`both_backends!`), plus
//! parity checks that both backends serve exactly the same.

// Helpers outside #[test] functions unwrap too: in a test, a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod bad_data;
mod helpers;
mod parity;
mod seed;
mod service;
mod sql;
