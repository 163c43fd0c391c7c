//! orchestrator library (being built).
