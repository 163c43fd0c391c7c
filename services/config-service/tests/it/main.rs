//! Integration tests of config-service: the real Application on 127.0.0.1:0 over gRPC, each
//! store test on both SQLite and PostgreSQL (`<module>::sqlite::*`, `<module>::postgres::*`).

// The store tests are plain `async fn(Backend)`s that `both_backends!` turns into one
// `#[tokio::test]` per backend; clippy's allow-unwrap-in-tests does not see them as tests.
#![allow(clippy::unwrap_used)]

mod helpers;
mod test_db;

mod admin;
mod logs;
mod rotation;
mod roundtrip;
mod secrets;
mod startup;
mod validation;
