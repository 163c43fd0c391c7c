//! planmanager-reader binary.

fn main() {}
