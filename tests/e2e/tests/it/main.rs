//! Cross-service tests: the whole export path over real gRPC against octopus-sim.

mod bad_input;
mod export;
mod helpers;
