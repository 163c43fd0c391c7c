//! journal-mapper binary.

fn main() {}
