//! The customer phase: the debtors of the selected invoices become Octopus relations. Unchanged
//! ones (same payload hash as last sent to this dossier) cost no Octopus call.

use std::collections::{BTreeMap, HashMap};

use ox_proto::gateway::v1::{
    FindRelationRequest, FindRelationsByVatRequest, Relation, RelationRef, UpsertRelationRequest,
};
use ox_proto::mapping::v1::{MapCustomersRequest, MappedCustomer};
use ox_proto::planmanager::v1::{Customer, StreamCustomersRequest, stream_customers_response};

use super::selection::Selection;
use super::{CallTally, RunContext, Runner};
use crate::error::OrchestratorError;
use crate::ledger::RelationRecord;
use crate::report::{ReportItem, RunReport, status};

/// How many customers go to the mapper in one call.
const MAP_BATCH: usize = 200;

/// A debtor's standing after the customer phase.
#[derive(Debug, Clone)]
pub(crate) enum Debtor {
    /// The relation exists in the dossier.
    Ready {
        relation: RelationRef,
        vat_nr: String,
        country: String,
        /// The relation as mapped, to recreate it if Octopus lost it (field case 5).
        mapped: Box<Relation>,
    },
    /// The customer could not be exported; its invoices are blocked with this reason.
    Failed(String),
    /// Octopus's daily cap stopped the customer; its invoices wait until this time (RFC 3339).
    Deferred(String),
}

/// The time a quota refusal of the gateway says the call may go, when it is one.
pub(crate) fn deferred_until(status: &tonic::Status) -> Option<String> {
    if status.code() != tonic::Code::ResourceExhausted {
        return None;
    }
    let until = status
        .metadata()
        .get("deferred-until")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    Some(until.to_owned())
}

fn customer_item(id: i64, status: &str, message: String) -> ReportItem {
    ReportItem {
        kind: "customer".into(),
        id,
        status: status.into(),
        message,
        ..ReportItem::default()
    }
}

/// Exports the selection's debtors and returns each one's standing.
pub(crate) async fn export(
    runner: &Runner,
    run: &RunContext,
    selection: &Selection,
    report: &mut RunReport,
    calls: &mut CallTally,
) -> Result<HashMap<i64, Debtor>, OrchestratorError> {
    let mut debtors = HashMap::new();
    let ids = selection.customer_ids();
    if ids.is_empty() {
        return Ok(debtors);
    }
    let mut reader = runner.peers.reader.clone();
    let mut stream = reader
        .stream_customers(StreamCustomersRequest { ids })
        .await
        .map_err(|status| OrchestratorError::peer("planmanager-reader", status))?
        .into_inner();
    let mut customers: Vec<Customer> = Vec::new();
    while let Some(message) = stream
        .message()
        .await
        .map_err(|status| OrchestratorError::peer("planmanager-reader", status))?
    {
        match message.item {
            Some(stream_customers_response::Item::Customer(customer)) => customers.push(customer),
            Some(stream_customers_response::Item::Problem(problem)) => {
                debtors.insert(problem.id, Debtor::Failed(problem.message.clone()));
                run.push(
                    &mut report.items,
                    customer_item(problem.id, status::FAILED, problem.message),
                );
            }
            None => {}
        }
    }

    for batch in customers.chunks(MAP_BATCH) {
        let mapped = runner
            .peers
            .mapper
            .clone()
            .map_customers(MapCustomersRequest {
                profile: Some(run.profile.clone()),
                customers: batch.to_vec(),
            })
            .await
            .map_err(|status| OrchestratorError::peer("journal-mapper", status))?
            .into_inner();
        for customer in mapped.customers {
            let (debtor, item) = export_one(runner, run, customer, calls).await?;
            debtors.insert(item.id, debtor);
            run.push(&mut report.items, item);
        }
    }
    Ok(debtors)
}

/// Sends one mapped customer unless the ledger shows the same payload already went out.
async fn export_one(
    runner: &Runner,
    run: &RunContext,
    mapped: MappedCustomer,
    calls: &mut CallTally,
) -> Result<(Debtor, ReportItem), OrchestratorError> {
    let id = mapped.customer_id;
    let Some(mut relation) = mapped.relation.filter(|_| mapped.error.is_empty()) else {
        let message = if mapped.error.is_empty() {
            format!("customer {id} could not be mapped to an Octopus relation")
        } else {
            mapped.error
        };
        let debtor = Debtor::Failed(message.clone());
        return Ok((debtor, customer_item(id, status::FAILED, message)));
    };
    let dossier_id = run.profile.dossier_id;
    let known = runner.ledger.relation(dossier_id, id).await?;
    let vat_nr = relation.vat_nr.clone();
    let country = relation.country.clone();
    let mapped_relation = Box::new(relation.clone());

    let (record, outcome, message) = match known {
        Some(record) if record.payload_hash == mapped.payload_hash && record.relation_key > 0 => {
            (record, status::UNCHANGED, String::new())
        }
        known if run.dry_run => {
            let message = if known.is_some() {
                "would update the relation in Octopus (changed since it was last sent)"
            } else {
                "would create or link the relation in Octopus"
            };
            let record = RelationRecord {
                relation_key: known.map_or(0, |known| known.relation_key),
                external_relation_id: relation.id.unwrap_or_default().external_relation_id,
                payload_hash: mapped.payload_hash.clone(),
            };
            (record, status::WOULD_EXPORT, message.to_owned())
        }
        known => {
            // A known key makes Octopus update that very relation instead of matching anew.
            let mut reference = relation.id.unwrap_or_default();
            if let Some(known) = &known {
                reference.relation_key = known.relation_key;
            }
            // Field case 3: a customer new to us may already be in Octopus (made by the
            // accountant); link it by VAT number instead of creating a duplicate.
            let mut linked = None;
            if known.is_none() && !relation.vat_nr.trim().is_empty() {
                let external = reference.external_relation_id;
                match find_by_vat(runner, run, &relation, external, calls).await {
                    Ok(Some(key)) => {
                        reference.relation_key = key;
                        linked = Some(key);
                    }
                    Ok(None) => {}
                    Err(refusal) => return Ok(refusal.into_pair(id)),
                }
            }
            relation.id = Some(reference);
            let external_relation_id = reference.external_relation_id;
            let answer = runner
                .peers
                .gateway
                .clone()
                .upsert_relation(UpsertRelationRequest {
                    dossier: Some(run.dossier.clone()),
                    relation: Some(relation),
                })
                .await;
            let answer = match answer {
                Ok(answer) => answer.into_inner(),
                Err(error) => {
                    if let Some(until) = deferred_until(&error) {
                        return Ok(Refusal::Deferred(until).into_pair(id));
                    }
                    let message =
                        format!("Octopus did not accept customer {id}: {}", error.message());
                    let debtor = Debtor::Failed(message.clone());
                    return Ok((debtor, customer_item(id, status::FAILED, message)));
                }
            };
            calls.add(&answer.calls);
            let record = RelationRecord {
                relation_key: answer.relation_key,
                external_relation_id,
                payload_hash: mapped.payload_hash.clone(),
            };
            runner
                .ledger
                .upsert_relation(dossier_id, id, &record, &run.run_id)
                .await?;
            let message = match (answer.created, known.is_some(), linked) {
                (_, _, Some(key)) => format!(
                    "linked to the existing Octopus relation {key} with the same VAT number (our external id stored on it)"
                ),
                (true, _, None) => "relation created in Octopus".to_owned(),
                (false, true, None) => {
                    "relation updated in Octopus (changed since it was last sent)".to_owned()
                }
                (false, false, None) => {
                    "existing Octopus relation with this external id linked and updated".to_owned()
                }
            };
            (record, status::EXPORTED, message)
        }
    };
    let debtor = Debtor::Ready {
        relation: RelationRef {
            relation_key: record.relation_key,
            external_relation_id: record.external_relation_id,
        },
        vat_nr,
        country,
        mapped: mapped_relation,
    };
    let item = ReportItem {
        warnings: mapped.warnings,
        octopus: BTreeMap::from([
            ("relation_key".to_owned(), record.relation_key.to_string()),
            (
                "external_relation_id".to_owned(),
                record.external_relation_id.to_string(),
            ),
        ]),
        ..customer_item(id, outcome, message)
    };
    Ok((debtor, item))
}

/// Finds the customer's relation in Octopus again after Octopus said it does not know the key
/// the ledger holds (merged or deleted by the accountant, or a lost Octopus state): first by
/// external id, and only when that finds nothing, by creating it anew. Returns the new reference.
pub(crate) async fn resolve_again(
    runner: &Runner,
    run: &RunContext,
    customer_id: i64,
    mapped: &Relation,
    calls: &mut CallTally,
) -> Result<RelationRef, String> {
    let mut gateway = runner.peers.gateway.clone();
    let external_relation_id = mapped.id.unwrap_or_default().external_relation_id;
    let found = gateway
        .find_relation(FindRelationRequest {
            dossier: Some(run.dossier.clone()),
            external_relation_id,
        })
        .await
        .map_err(|status| {
            format!(
                "cannot look customer {customer_id} up in Octopus: {}",
                status.message()
            )
        })?
        .into_inner();
    calls.add(&found.calls);
    let key = match found.relations.as_slice() {
        [one] => one.id.unwrap_or_default().relation_key,
        [] => {
            let mut relation = mapped.clone();
            relation.id = Some(RelationRef {
                relation_key: 0,
                external_relation_id,
            });
            let answer = gateway
                .upsert_relation(UpsertRelationRequest {
                    dossier: Some(run.dossier.clone()),
                    relation: Some(relation),
                })
                .await
                .map_err(|status| {
                    format!(
                        "cannot recreate customer {customer_id} in Octopus: {}",
                        status.message()
                    )
                })?
                .into_inner();
            calls.add(&answer.calls);
            answer.relation_key
        }
        several => {
            return Err(format!(
                "Octopus holds {} relations with external id {external_relation_id}: ambiguous, a person must merge them",
                several.len()
            ));
        }
    };
    let record = RelationRecord {
        relation_key: key,
        external_relation_id,
        // An empty hash makes the next run send the relation again, to be sure it is complete.
        payload_hash: String::new(),
    };
    runner
        .ledger
        .upsert_relation(run.profile.dossier_id, customer_id, &record, &run.run_id)
        .await
        .map_err(|error| error.to_string())?;
    Ok(RelationRef {
        relation_key: key,
        external_relation_id,
    })
}

/// Why a customer was not sent.
enum Refusal {
    Failed(String),
    Deferred(String),
}

impl Refusal {
    fn into_pair(self, id: i64) -> (Debtor, ReportItem) {
        match self {
            Refusal::Failed(message) => (
                Debtor::Failed(message.clone()),
                customer_item(id, status::FAILED, message),
            ),
            Refusal::Deferred(until) => {
                let message = format!(
                    "deferred: Octopus's daily cap for relations is reached; sent automatically after {until}"
                );
                let mut item = customer_item(id, status::FAILED, message);
                item.octopus.insert("deferred_until".into(), until.clone());
                (Debtor::Deferred(until), item)
            }
        }
    }
}

/// Looks for Octopus relations with the customer's VAT number that no other external id claims.
/// `Ok(Some(key))`: exactly one, link it; `Ok(None)`: none, create; `Err`: ambiguous or refused.
async fn find_by_vat(
    runner: &Runner,
    run: &RunContext,
    relation: &Relation,
    external_relation_id: i32,
    calls: &mut CallTally,
) -> Result<Option<i32>, Refusal> {
    let answer = runner
        .peers
        .gateway
        .clone()
        .find_relations_by_vat(FindRelationsByVatRequest {
            dossier: Some(run.dossier.clone()),
            vat_nr: relation.vat_nr.clone(),
            external_relation_id,
        })
        .await;
    let found = match answer {
        Ok(found) => found.into_inner(),
        Err(error) => {
            return Err(match deferred_until(&error) {
                Some(until) => Refusal::Deferred(until),
                None => Refusal::Failed(format!(
                    "cannot look VAT number {} up in Octopus: {}",
                    relation.vat_nr,
                    error.message()
                )),
            });
        }
    };
    calls.add(&found.calls);
    match found.candidates.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.id.unwrap_or_default().relation_key)),
        many => {
            let keys: Vec<String> = many
                .iter()
                .map(|r| r.id.unwrap_or_default().relation_key.to_string())
                .collect();
            Err(Refusal::Failed(format!(
                "ambiguous match: Octopus holds relations {} with VAT number {}; link one to customer {external_relation_id} by hand (Extern Relatie Nr)",
                keys.join(", "),
                found.normalized_vat_nr
            )))
        }
    }
}
