//! Integration tests of the octopus-gateway against a fake Octopus and a fake config-service.
// Test helpers and fakes panic on setup failures by design.
#![allow(clippy::unwrap_used)]

mod bookings;
mod fake_config;
mod fake_octopus;
mod helpers;
mod relations;
mod sessions;
mod snapshot;
