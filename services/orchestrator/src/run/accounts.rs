//! The account phase ("Rekeningen exporteren"): PlanManager's general-ledger accounts that the
//! dossier's open bookyears lack are created in Octopus; existing ones cost no call.

use std::collections::{BTreeMap, BTreeSet};

use ox_proto::gateway::v1::{Account, DossierSnapshot, UpsertAccountRequest};
use ox_proto::planmanager::v1::ListGlAccountsRequest;

use super::customers::deferred_until;
use super::{CallTally, RunContext, Runner};
use crate::error::OrchestratorError;
use crate::report::{ReportItem, RunReport, status};

/// The bookyears to complete: those whose accounts the snapshot holds (Octopus allows two reads
/// of accounts a day, so older years may be missing from it), else the newest open one.
fn bookyears(snapshot: &DossierSnapshot) -> Vec<i32> {
    let known: BTreeSet<i32> = snapshot.accounts.iter().map(|a| a.bookyear_id).collect();
    if !known.is_empty() {
        return known.into_iter().collect();
    }
    snapshot
        .bookyears
        .iter()
        .filter(|bookyear| !bookyear.closed)
        .max_by(|a, b| a.end_date.cmp(&b.end_date))
        .map(|bookyear| vec![bookyear.id])
        .unwrap_or_default()
}

/// Creates the missing accounts; every account considered becomes a report item.
pub(crate) async fn export(
    runner: &Runner,
    run: &RunContext,
    snapshot: &DossierSnapshot,
    report: &mut RunReport,
    calls: &mut CallTally,
) -> Result<(), OrchestratorError> {
    let accounts = runner
        .peers
        .reader
        .clone()
        .list_gl_accounts(ListGlAccountsRequest {})
        .await
        .map_err(|status| OrchestratorError::peer("planmanager-reader", status))?
        .into_inner()
        .accounts;
    let existing: BTreeMap<(i32, i32), ()> = snapshot
        .accounts
        .iter()
        .map(|account| ((account.bookyear_id, account.number), ()))
        .collect();
    for bookyear_id in bookyears(snapshot) {
        for account in &accounts {
            let mut item = ReportItem {
                kind: "account".into(),
                id: i64::from(account.number),
                octopus: BTreeMap::from([("bookyear_id".to_owned(), bookyear_id.to_string())]),
                ..ReportItem::default()
            };
            if existing.contains_key(&(bookyear_id, account.number)) {
                item.status = status::UNCHANGED.into();
            } else if run.dry_run {
                item.status = status::WOULD_EXPORT.into();
                item.message = format!("would create account {} in Octopus", account.number);
            } else {
                let answer = runner
                    .peers
                    .gateway
                    .clone()
                    .upsert_account(UpsertAccountRequest {
                        dossier: Some(run.dossier.clone()),
                        account: Some(Account {
                            bookyear_id,
                            number: account.number,
                            description: account.description_nl.clone(),
                        }),
                        description_fr: account.description_fr.clone(),
                    })
                    .await;
                match answer {
                    Ok(answer) => {
                        let answer = answer.into_inner();
                        calls.add(&answer.calls);
                        item.status = status::EXPORTED.into();
                        item.message = if answer.created {
                            "account created in Octopus".into()
                        } else {
                            "account updated in Octopus".into()
                        };
                    }
                    Err(error) => {
                        item.status = status::FAILED.into();
                        item.message = match deferred_until(&error) {
                            Some(until) => format!(
                                "deferred: Octopus's daily cap for accounts is reached; export the accounts again after {until}"
                            ),
                            None => format!(
                                "Octopus did not accept account {}: {}",
                                account.number,
                                error.message()
                            ),
                        };
                    }
                }
            }
            run.push(&mut report.items, item);
        }
    }
    Ok(())
}
