//! Live progress of running exports, for `WatchRun`: each run publishes its counts, phase and
//! position on a watch channel; watchers see the latest state and every change after it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use ox_proto::orchestrator::v1::{CustomerCounts, InvoiceCounts, WatchRunResponse};

use crate::report::{self, ReportItem, run_status, status};

/// The publishing side of one run's progress; cheap to clone.
#[derive(Debug, Clone)]
pub struct Progress {
    tx: Arc<watch::Sender<WatchRunResponse>>,
    counts: Arc<Mutex<(report::CustomerCounts, report::InvoiceCounts)>>,
}

impl Progress {
    fn new(run_id: &str) -> (Self, watch::Receiver<WatchRunResponse>) {
        let (tx, rx) = watch::channel(WatchRunResponse {
            run_id: run_id.to_owned(),
            phase: "journals".into(),
            status: run_status::RUNNING.into(),
            ..WatchRunResponse::default()
        });
        let progress = Self {
            tx: Arc::new(tx),
            counts: Arc::default(),
        };
        (progress, rx)
    }

    /// Enters a phase ("journals", "customers", "invoices", "accounts").
    pub fn phase(&self, phase: &str) {
        self.tx.send_modify(|event| event.phase = phase.to_owned());
    }

    /// Sets how many invoices the run will handle.
    pub fn invoices_total(&self, total: usize) {
        let total = u32::try_from(total).unwrap_or(u32::MAX);
        self.tx.send_modify(|event| event.invoices_total = total);
    }

    /// Records where the run is.
    pub fn at(&self, journal: &str, number: i64) {
        self.tx.send_modify(|event| {
            event.current_journal = journal.to_owned();
            event.current_number = number;
        });
    }

    /// Counts a finished item; problems and warnings become the latest message.
    pub fn item(&self, item: &ReportItem) {
        let (customers, invoices) = {
            let mut counts = self
                .counts
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let (customers, invoices) = &mut *counts;
            report::count_item(customers, invoices, item);
            (customers.clone(), invoices.clone())
        };
        let message = if matches!(
            item.status.as_str(),
            status::FAILED | status::BLOCKED | status::DEFERRED
        ) {
            Some(format!(
                "{} {} {}: {}",
                item.kind, item.journal, item.number, item.message
            ))
        } else {
            item.warnings.last().cloned()
        };
        self.tx.send_modify(|event| {
            event.customers = Some(CustomerCounts::from(customers));
            event.invoices = Some(InvoiceCounts::from(invoices));
            if let Some(message) = message {
                event.message = message;
            }
        });
    }

    /// Publishes the run's final status; watchers end after this event.
    pub fn done(&self, final_status: &str, message: &str) {
        self.tx.send_modify(|event| {
            event.phase = "done".into();
            event.status = final_status.to_owned();
            if !message.is_empty() {
                event.message = message.to_owned();
            }
        });
    }
}

/// Runs in progress in this process, by run id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    runs: Arc<Mutex<HashMap<String, watch::Receiver<WatchRunResponse>>>>,
}

impl Registry {
    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, watch::Receiver<WatchRunResponse>>> {
        self.runs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a run and returns its publisher.
    pub fn register(&self, run_id: &str) -> Progress {
        let (progress, rx) = Progress::new(run_id);
        self.lock().insert(run_id.to_owned(), rx);
        progress
    }

    /// Forgets a finished run (its report is in the ledger).
    pub fn remove(&self, run_id: &str) {
        self.lock().remove(run_id);
    }

    /// A receiver of a running run's progress.
    pub fn watch(&self, run_id: &str) -> Option<watch::Receiver<WatchRunResponse>> {
        self.lock().get(run_id).cloned()
    }
}
