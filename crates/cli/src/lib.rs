//! The embedded stack and the export commands behind the `octopus-export` binary.
