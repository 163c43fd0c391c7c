//! The embedded stack and the export commands behind the `octopus-export` binary.

pub mod config_cmd;
pub mod demo;
pub mod provision;
pub mod run_cmd;
pub mod secrets;
pub mod stack;
pub mod summary;
