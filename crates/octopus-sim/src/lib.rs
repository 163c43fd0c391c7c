//! Octopus simulator (being built).
