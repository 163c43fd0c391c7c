//! orchestrator binary.

fn main() {}
