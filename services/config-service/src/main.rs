//! config-service binary.

fn main() {}
