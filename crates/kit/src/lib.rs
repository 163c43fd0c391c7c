//! Shared service plumbing: typed settings from defaults, a file and the environment; a gRPC
//! server with `grpc.health.v1` and reflection; lazy gRPC channels to peers; the shutdown signal.

pub mod grpc;
pub mod settings;
pub mod shutdown;

pub use grpc::{GrpcServer, KitError, balanced_channel, channel};
pub use settings::{SettingsError, load_settings};
pub use shutdown::shutdown_signal;
