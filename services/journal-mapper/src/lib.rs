//! journal-mapper library (being built).
