//! The per-dossier export lease: one running export per Octopus dossier, across processes. The
//! lease lives in the ledger and is renewed while the run is alive, so a crashed holder's lease
//! simply runs out and the next run takes over.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::error::OrchestratorError;
use crate::ledger::Ledger;

/// How often a waiting request tries again.
const WAIT_STEP: Duration = Duration::from_millis(250);

/// A held dossier lease; renewed in the background until released.
pub(crate) struct Lease {
    ledger: Ledger,
    dossier_id: i32,
    run_id: String,
    keepalive: JoinHandle<()>,
}

/// Takes the lease for resuming `run_id`, but only when no live run (this one included, in
/// another process) holds the dossier. `None` means someone is alive: leave the run to them.
pub(crate) async fn take_for_resume(
    ledger: &Ledger,
    dossier_id: i32,
    run_id: &str,
    lease: Duration,
) -> Result<Option<Lease>, OrchestratorError> {
    if ledger.lock_is_live(dossier_id).await? {
        return Ok(None);
    }
    match ledger.try_lock(dossier_id, run_id, lease).await? {
        None => Ok(Some(take(ledger, dossier_id, run_id, false, lease).await?)),
        Some(_) => Ok(None),
    }
}

/// Takes the dossier's lease for `run_id`, waiting for the current holder when `wait` is set.
pub(crate) async fn take(
    ledger: &Ledger,
    dossier_id: i32,
    run_id: &str,
    wait: bool,
    lease: Duration,
) -> Result<Lease, OrchestratorError> {
    loop {
        match ledger.try_lock(dossier_id, run_id, lease).await? {
            None => break,
            Some(holder) if !wait => {
                return Err(OrchestratorError::Busy { dossier_id, holder });
            }
            // Waiting for another run to finish is real waiting, bounded by the caller's deadline.
            Some(_) => tokio::time::sleep(WAIT_STEP).await,
        }
    }
    let keepalive = {
        let ledger = ledger.clone();
        let run_id = run_id.to_owned();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(lease / 3).await;
                match ledger.renew_lock(dossier_id, &run_id, lease).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::error!(dossier_id, run_id = %run_id, "lost the dossier lease");
                        return;
                    }
                    Err(error) => {
                        tracing::warn!(dossier_id, error = %error, "could not renew the dossier lease")
                    }
                }
            }
        })
    };
    Ok(Lease {
        ledger: ledger.clone(),
        dossier_id,
        run_id: run_id.to_owned(),
        keepalive,
    })
}

impl Lease {
    /// Stops renewing and gives the lease back.
    pub(crate) async fn release(self) {
        self.keepalive.abort();
        if let Err(error) = self
            .ledger
            .release_lock(self.dossier_id, &self.run_id)
            .await
        {
            // The lease then runs out by itself.
            tracing::warn!(dossier_id = self.dossier_id, error = %error, "could not release the dossier lease");
        }
    }
}
