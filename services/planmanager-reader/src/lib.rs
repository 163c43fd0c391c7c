//! planmanager-reader library (being built).
