//! octopus-gateway library (being built).
