//! octopus-export CLI.

fn main() {}
