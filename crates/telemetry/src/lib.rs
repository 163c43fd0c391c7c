//! One `init()` for every binary: an `EnvFilter` (`RUST_LOG` wins), JSON logs on stderr, and an
//! OTLP (gRPC) span exporter when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Call `shutdown()` at exit.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{SpanExporter, WithExportConfig as _};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Errors of setting telemetry up.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("invalid log filter: {0}")]
    Filter(String),
    #[error("cannot build the OTLP exporter: {0}")]
    Exporter(String),
    #[error("a global subscriber is already installed: {0}")]
    Install(String),
}

/// Flushes buffered spans on shutdown.
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

/// Installs the global subscriber. `default_filter` applies when `RUST_LOG` is unset.
///
/// Must run inside a Tokio runtime: the OTLP exporter's batch processor needs one.
pub fn init(service_name: &str, default_filter: &str) -> Result<TelemetryGuard, TelemetryError> {
    opentelemetry::global::set_text_map_propagator(
        opentelemetry_sdk::propagation::TraceContextPropagator::new(),
    );
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(default_filter))
        .map_err(|error| TelemetryError::Filter(error.to_string()))?;
    let logs = tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_writer(std::io::stderr);
    let registry = tracing_subscriber::registry().with(filter).with(logs);

    let endpoint = std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT")
        .ok()
        .filter(|value| !value.is_empty());
    let Some(endpoint) = endpoint else {
        registry
            .try_init()
            .map_err(|error| TelemetryError::Install(error.to_string()))?;
        return Ok(TelemetryGuard { provider: None });
    };
    let service_name =
        std::env::var("OTEL_SERVICE_NAME").unwrap_or_else(|_| service_name.to_owned());
    let exporter = SpanExporter::builder()
        .with_tonic()
        .with_endpoint(endpoint)
        .build()
        .map_err(|error| TelemetryError::Exporter(error.to_string()))?;
    let provider = SdkTracerProvider::builder()
        .with_resource(
            Resource::builder()
                .with_service_name(service_name.clone())
                .build(),
        )
        .with_batch_exporter(exporter)
        .build();
    let tracer = provider.tracer(service_name);
    registry
        .with(tracing_opentelemetry::layer().with_tracer(tracer))
        .try_init()
        .map_err(|error| TelemetryError::Install(error.to_string()))?;
    Ok(TelemetryGuard {
        provider: Some(provider),
    })
}

impl TelemetryGuard {
    /// Flushes buffered spans; the SDK's shutdown blocks, so it runs on a plain thread.
    pub fn shutdown(self) {
        let Some(provider) = self.provider else {
            return;
        };
        let flushed = std::thread::spawn(move || provider.shutdown()).join();
        match flushed {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("failed to flush traces: {error}"),
            Err(_) => eprintln!("telemetry shutdown panicked"),
        }
    }
}
