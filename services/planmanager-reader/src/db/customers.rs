//! Streaming customers by id, in the order asked, in chunks so any number of ids stays cheap; a
//! missing or unreadable customer comes out as a problem.

use std::collections::{HashMap, HashSet};

use tokio::sync::mpsc;

use super::backend::{Pool, Row, Statement};
use super::{cell, sql};
use crate::error::ReaderError;
use crate::model::{Customer, CustomerItem, CustomerKind, DataProblem, PaymentTerm, ProblemKind};

/// Ids per query: well below the bound-parameter limits of SQLite and MariaDB.
const CHUNK: usize = 500;

/// Sends each asked customer, or the problem that kept it from being read, to `sink`. Repeated ids
/// are sent once. Stops early, without error, when the receiver goes away.
#[tracing::instrument(skip_all, fields(ids = ids.len()))]
pub async fn stream_customers(
    pool: Pool,
    ids: Vec<i64>,
    sink: mpsc::Sender<Result<CustomerItem, ReaderError>>,
) {
    let mut seen = HashSet::with_capacity(ids.len());
    let unique: Vec<i64> = ids.into_iter().filter(|id| seen.insert(*id)).collect();
    for chunk in unique.chunks(CHUNK) {
        let found = match fetch_chunk(&pool, chunk).await {
            Ok(found) => found,
            Err(error) => {
                let _ = sink.send(Err(error)).await;
                return;
            }
        };
        for id in chunk {
            let item = match found.get(id) {
                Some(Ok(customer)) => CustomerItem::Customer(Box::new(customer.clone())),
                Some(Err(message)) => CustomerItem::Problem(problem(*id, message.clone())),
                None => CustomerItem::Problem(problem(
                    *id,
                    format!("customer {id} does not exist in PlanManager"),
                )),
            };
            if sink.send(Ok(item)).await.is_err() {
                return;
            }
        }
    }
}

fn problem(id: i64, message: String) -> DataProblem {
    DataProblem {
        kind: ProblemKind::Customer,
        id,
        journal_code: String::new(),
        number: 0,
        message,
    }
}

async fn fetch_chunk(
    pool: &Pool,
    ids: &[i64],
) -> Result<HashMap<i64, Result<Customer, String>>, ReaderError> {
    let mut query = Statement::new(sql::SELECT_CUSTOMERS_BY_ID);
    query.bind_list(ids.iter().copied()).push(")");
    let rows = pool.fetch_all(query).await?;
    let mut found = HashMap::with_capacity(rows.len());
    for row in &rows {
        // The id was matched by the query, so it is readable; 0 only guards a broken view.
        let id = cell::required_integer(row, "id").unwrap_or(0);
        found.insert(id, read_customer(row, id));
    }
    Ok(found)
}

fn read_customer(row: &Row, id: i64) -> Result<Customer, String> {
    let mut problems = Vec::new();
    let p = &mut problems;
    let mut text = |column: &str| cell::collect(p, String::new(), cell::text_or_empty(row, column));
    let kind_text = text("kind");
    let name = text("name");
    let mut customer = Customer {
        id,
        kind: CustomerKind::from_db(&kind_text).unwrap_or(CustomerKind::Person),
        first_name: text("first_name"),
        vat_number: text("vat_number"),
        street: text("street"),
        house_number: text("house_number"),
        r#box: text("box"),
        postal_code: text("postal_code"),
        city: text("city"),
        country: text("country"),
        language: text("language"),
        email: text("email"),
        phone: text("phone"),
        iban: text("iban"),
        bic: text("bic"),
        updated_at: text("updated_at"),
        name,
        payment_term: PaymentTerm::default(),
        blocked: false,
    };
    if CustomerKind::from_db(&kind_text).is_none() {
        p.push(format!(
            "kind {kind_text:?} is not one of person, company, insurer, leasing"
        ));
    }
    if customer.name.trim().is_empty() {
        p.push("the customer has no name".to_owned());
    }
    let days = cell::collect(p, None, cell::integer(row, "term_days")).unwrap_or(0);
    customer.payment_term = PaymentTerm {
        days: cell::collect(
            p,
            0,
            i32::try_from(days).map_err(|_| format!("payment term of {days} days is impossible")),
        ),
        end_of_month: cell::collect(p, false, cell::flag(row, "term_end_of_month")),
    };
    customer.blocked = cell::collect(p, false, cell::flag(row, "blocked"));
    if problems.is_empty() {
        Ok(customer)
    } else {
        Err(format!("customer {id}: {}", problems.join("; ")))
    }
}
