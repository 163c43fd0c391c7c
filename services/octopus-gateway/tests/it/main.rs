//! Integration tests of the octopus-gateway against a fake Octopus and a fake config-service,
//! and against `octopus-sim`.
// Test helpers and fakes panic on setup failures by design.
#![allow(clippy::unwrap_used)]

mod bookings;
mod fake_config;
mod fake_octopus;
mod helpers;
mod relations;
mod sessions;
mod sim_day;
mod sim_faults;
mod sim_helpers;
mod sim_quota;
mod sim_relations;
mod sim_replicas;
mod snapshot;
mod store;
mod telemetry;
