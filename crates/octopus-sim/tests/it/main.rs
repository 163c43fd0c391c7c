//! Integration tests of the Octopus simulator over real HTTP on 127.0.0.1.

// Helpers outside #[test] functions panic on setup failures too, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod auth;
mod booking_rules;
mod bookings;
mod caps;
mod cli;
mod concurrency;
mod control;
mod faults;
mod helpers;
mod misc;
mod relations;
mod shapes;
mod sync;
