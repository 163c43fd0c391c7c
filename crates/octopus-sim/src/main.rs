//! octopus-sim binary.

fn main() {}
