//! A gRPC server that always serves `grpc.health.v1` and reflection beside the service's own API,
//! and stops gracefully; plus lazy client channels to peers.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Endpoint, Server};
use tonic_health::ServingStatus;

/// Errors of binding, serving and connecting.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("gRPC server failed: {0}")]
    Serve(#[from] tonic::transport::Error),
    #[error("invalid peer address {addr:?}: {reason}")]
    PeerAddress { addr: String, reason: String },
    #[error("gRPC reflection could not be built: {0}")]
    Reflection(String),
}

/// A bound listener; serving starts with [`GrpcServer::run_until`].
pub struct GrpcServer {
    listener: TcpListener,
}

impl GrpcServer {
    /// Binds `addr` (use port 0 in tests and the embedded demo).
    pub async fn bind(addr: &str) -> Result<Self, KitError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| KitError::Bind {
                addr: addr.to_owned(),
                source,
            })?;
        Ok(Self { listener })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener always has a local address")
    }

    /// Serves `routes` plus health and reflection until `shutdown` resolves, then drains.
    ///
    /// `service_name` is the fully qualified gRPC service name reported as SERVING.
    pub async fn run_until(
        self,
        service_name: &'static str,
        routes: Routes,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), KitError> {
        let (reporter, health_service) = tonic_health::server::health_reporter();
        reporter
            .set_service_status(service_name, ServingStatus::Serving)
            .await;
        reporter
            .set_service_status("", ServingStatus::Serving)
            .await;
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(ox_proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .build_v1()
            .map_err(|error| KitError::Reflection(error.to_string()))?;
        let routes = routes.add_service(health_service).add_service(reflection);

        // Flip health to NOT_SERVING first so balancers stop sending before the server drains.
        let drain_reporter = reporter.clone();
        let shutdown = async move {
            shutdown.await;
            drain_reporter
                .set_service_status(service_name, ServingStatus::NotServing)
                .await;
            drain_reporter
                .set_service_status("", ServingStatus::NotServing)
                .await;
        };
        Server::builder()
            .add_routes(routes)
            .serve_with_incoming_shutdown(TcpIncoming::from(self.listener), shutdown)
            .await?;
        Ok(())
    }
}

/// A channel to a peer that connects on first use, so services can start in any order.
pub fn channel(addr: &str) -> Result<Channel, KitError> {
    let uri = if addr.contains("://") {
        addr.to_owned()
    } else {
        format!("http://{addr}")
    };
    let endpoint = Endpoint::from_shared(uri).map_err(|error| KitError::PeerAddress {
        addr: addr.to_owned(),
        reason: error.to_string(),
    })?;
    Ok(endpoint
        .connect_timeout(std::time::Duration::from_secs(5))
        .connect_lazy())
}

/// A channel balanced over one or more peer replicas given as a comma-separated list
/// (`http://gw-1:50054,http://gw-2:50054`); a single address is a plain lazy channel. Calls go
/// to a ready replica, and a replica that stops answering is left out until it returns.
pub fn balanced_channel(addrs: &str) -> Result<Channel, KitError> {
    let addrs: Vec<&str> = addrs
        .split(',')
        .map(str::trim)
        .filter(|addr| !addr.is_empty())
        .collect();
    match addrs.as_slice() {
        [] => Err(KitError::PeerAddress {
            addr: String::new(),
            reason: "no address given".into(),
        }),
        [one] => channel(one),
        many => {
            let mut endpoints = Vec::with_capacity(many.len());
            for addr in many {
                let uri = if addr.contains("://") {
                    (*addr).to_owned()
                } else {
                    format!("http://{addr}")
                };
                let endpoint =
                    Endpoint::from_shared(uri).map_err(|error| KitError::PeerAddress {
                        addr: (*addr).to_owned(),
                        reason: error.to_string(),
                    })?;
                endpoints.push(endpoint.connect_timeout(std::time::Duration::from_secs(5)));
            }
            Ok(Channel::balance_list(endpoints.into_iter()))
        }
    }
}
