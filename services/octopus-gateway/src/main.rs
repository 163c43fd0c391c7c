//! octopus-gateway binary.

fn main() {}
