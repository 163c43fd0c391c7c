//! A simulator of the Octopus REST API (`/octopus-rest-api/v1`) with in-memory state, a
//! controllable clock, per-endpoint call counts, daily caps, latency, fault injection and a
//! control API under `/_sim`. The crate README, below, is the reference; `docs/octopus-api.md`
//! is the API it follows.
//!
#![doc = include_str!("../README.md")]

mod auth;
mod bookings;
mod caps;
mod clock;
mod endpoints;
mod error;
mod faults;
mod fixture;
mod http;
mod net;
mod relations;
mod rng;
mod setup;
mod state;
mod store;
mod token;
mod wire;

pub use auth::{LOCKOUT_DURATION, LOCKOUT_THRESHOLD};
pub use caps::CapsStatus;
pub use clock::TIMESTAMP_FORMAT;
pub use endpoints::{Endpoint, RELATION_SEARCH_ALIAS};
pub use error::{ApiError, ErrorCode, ErrorResult, INVALID_PARAMETERS};
pub use faults::{
    DEFAULT_HANG, DEFAULT_LOCK, Fault, FaultRule, RuleStatus, Trigger, parse_fault_spec,
};
pub use fixture::{BookyearFixture, DossierFixture, Fixture, FixtureSummary, UserFixture};
pub use http::{CONTROL_PREFIX, PREFIX, SimServer, router};
pub use net::PeerInfo;
pub use setup::{
    AccountSetup, BookyearSetup, DemoCredentials, DossierSetup, JournalSetup, PeriodSetup,
    VatCodeSetup, demo_dossier, standard_vat_codes,
};
pub use state::{SimError, SimState};
pub use token::{TOKEN_LIFETIME, decode_payload};
