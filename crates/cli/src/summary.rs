//! Human summaries of a run report, and the terminal progress bar.

use std::io::{IsTerminal as _, Write as _};

use ox_orchestrator::report::RunReport;

/// A short summary a bookkeeper can read.
pub fn human(report: &RunReport) -> String {
    let mut out = String::new();
    let calls: u32 = report.octopus_calls.values().sum();
    let dry = if report.dry_run {
        " (dry run: nothing was sent to Octopus)"
    } else {
        ""
    };
    out.push_str(&format!(
        "Export run {}: {}{dry}\n",
        report.run_id, report.status
    ));
    if !report.message.is_empty() {
        out.push_str(&format!("  {}\n", report.message));
    }
    if report.dry_run {
        out.push_str(&format!(
            "  would send: {} relations, {} bookings\n",
            report.customers.would_export, report.invoices.would_book
        ));
    }
    out.push_str(&format!(
        "  customers: {} exported, {} unchanged, {} failed\n",
        report.customers.exported, report.customers.unchanged, report.customers.failed
    ));
    let i = &report.invoices;
    out.push_str(&format!(
        "  invoices:  {} booked, {} already booked, {} failed, {} blocked, {} deferred\n",
        i.booked, i.already_booked, i.failed, i.blocked, i.deferred
    ));
    let accounts: Vec<&str> = report
        .items
        .iter()
        .filter(|item| item.kind == "account")
        .map(|item| item.status.as_str())
        .collect();
    if !accounts.is_empty() {
        let count = |status: &str| accounts.iter().filter(|s| **s == status).count();
        out.push_str(&format!(
            "  accounts:  {} created or updated, {} already in Octopus, {} failed{}\n",
            count("exported"),
            count("unchanged"),
            count("failed"),
            if report.dry_run {
                format!(", {} would be created", count("would_export"))
            } else {
                String::new()
            }
        ));
    }
    out.push_str(&format!("  Octopus calls: {calls}\n"));
    let problems: Vec<_> = report
        .items
        .iter()
        .filter(|item| matches!(item.status.as_str(), "failed" | "blocked" | "deferred"))
        .collect();
    for item in problems.iter().take(20) {
        let what = match item.kind.as_str() {
            "invoice" => format!("invoice {} {}", item.journal, item.number),
            "journal" => format!("journal '{}'", item.journal),
            kind => format!("{kind} {}", item.id),
        };
        out.push_str(&format!("  - {what}: {} — {}\n", item.status, item.message));
    }
    if problems.len() > 20 {
        out.push_str(&format!(
            "  … and {} more; see --json\n",
            problems.len() - 20
        ));
    }
    let warnings: usize = report.items.iter().map(|item| item.warnings.len()).sum();
    if warnings > 0 {
        out.push_str(&format!(
            "  warnings: {warnings} (e.g. rounding differences); see --json\n"
        ));
    }
    out
}

/// Draws `done/total` as a bar on stderr, only when stderr is a terminal.
pub fn progress(done: u64, total: u64) {
    let mut stderr = std::io::stderr();
    if !stderr.is_terminal() || total == 0 {
        return;
    }
    let width = 40;
    let filled = (done.min(total) * width / total) as usize;
    let bar = format!(
        "{}{}",
        "#".repeat(filled),
        ".".repeat(width as usize - filled)
    );
    // A failed progress write must never fail the export.
    let _ = write!(stderr, "\r[{bar}] {done}/{total} invoices sent to Octopus");
    let _ = stderr.flush();
}

/// Ends the progress line.
pub fn progress_done() {
    let stderr = std::io::stderr();
    if stderr.is_terminal() {
        eprintln!();
    }
}
