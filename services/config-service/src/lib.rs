//! config-service library (being built).
