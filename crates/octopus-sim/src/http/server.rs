//! `SimServer`: the simulator bound to a TCP port, serving until a shutdown future resolves.

use std::net::SocketAddr;

use axum::Extension;
use tokio::net::TcpListener;

use super::{PREFIX, ServerStopping, router};
use crate::net::{PeerInfo, SimListener};
use crate::state::SimState;

/// The simulator listening on a TCP port.
#[derive(Debug)]
pub struct SimServer {
    listener: TcpListener,
    addr: SocketAddr,
    state: SimState,
}

impl SimServer {
    /// Binds `addr` (e.g. `127.0.0.1:0`) for `state`.
    pub async fn bind(addr: &str, state: SimState) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        Ok(Self {
            listener,
            addr,
            state,
        })
    }

    /// Returns the bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns the API base URL, e.g. `http://127.0.0.1:40123/octopus-rest-api/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}{PREFIX}", self.addr)
    }

    /// Returns the control API base URL, e.g. `http://127.0.0.1:40123/_sim`.
    pub fn control_url(&self) -> String {
        format!("http://{}{}", self.addr, super::CONTROL_PREFIX)
    }

    /// Returns the state this server serves.
    pub fn state(&self) -> &SimState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then releases calls held by `timeout` faults and
    /// finishes in-flight calls.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stopping, stopping_rx) = tokio::sync::watch::channel(false);
        let shutdown = async move {
            shutdown.await;
            // Wakes the calls held by `timeout` faults, so in-flight calls can finish.
            let _ = stopping.send(true);
        };
        let app = router(self.state)
            .layer(Extension(ServerStopping(stopping_rx)))
            .into_make_service_with_connect_info::<PeerInfo>();
        axum::serve(SimListener::new(self.listener), app)
            .with_graceful_shutdown(shutdown)
            .await
    }
}
