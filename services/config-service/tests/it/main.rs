//! Integration tests of config-service: the real Application on 127.0.0.1:0 over gRPC.

mod helpers;
mod roundtrip;
mod secrets;
mod startup;
mod validation;
