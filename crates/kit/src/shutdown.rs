//! The process-wide shutdown signal: the first SIGINT or SIGTERM.

use std::future::Future;

use tokio::signal::unix::{SignalKind, signal};

/// Resolves on the first SIGINT or SIGTERM.
///
/// The handlers are installed when this is called, not when the future is first polled, so a
/// signal that arrives right after a service announces itself is never lost to the default
/// action (which would kill the process without draining).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    let terminate = signal(SignalKind::terminate());
    let interrupt = signal(SignalKind::interrupt());
    async move {
        match (terminate, interrupt) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = interrupt.recv() => tracing::info!("received SIGINT, shutting down"),
                    _ = terminate.recv() => tracing::info!("received SIGTERM, shutting down"),
                }
            }
            (Ok(mut only), Err(error)) | (Err(error), Ok(mut only)) => {
                tracing::warn!(error = %error, "could not install one of the signal handlers");
                only.recv().await;
            }
            (Err(error), Err(_)) => {
                // Without handlers the default actions still stop the process.
                tracing::warn!(error = %error, "could not install signal handlers");
                std::future::pending::<()>().await;
            }
        }
    }
}
