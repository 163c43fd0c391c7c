//! The fake Octopus's writes: the relation upsert, the booking POST with its -13/-14 rules and
//! faults, and the modified-bookings read used to settle outcomes.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{FakeOctopus, Fault, Stored, error, reply};

pub fn upsert_relation(fake: &FakeOctopus, body: &str) -> Response {
    let Ok(mut relation) = serde_json::from_str::<Value>(body) else {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "",
            "Invalid or missing parameters passed",
        );
    };
    let external = relation["relationIdentificationServiceData"]["externalRelationId"].clone();
    fake.with(|state| {
        let existing = state.relations.iter_mut().find(|stored| {
            stored["relationIdentificationServiceData"]["externalRelationId"] == external
        });
        if let Some(stored) = existing {
            let key = stored["relationIdentificationServiceData"]["relationKey"].clone();
            relation["relationIdentificationServiceData"]["relationKey"] = key;
            *stored = relation;
            return StatusCode::NO_CONTENT.into_response();
        }
        let key = state.next_relation_key;
        state.next_relation_key += 1;
        relation["relationIdentificationServiceData"]["relationKey"] = json!({"id": key});
        state.relations.push(relation.clone());
        reply(StatusCode::CREATED, relation)
    })
}

pub async fn post_booking(fake: &FakeOctopus, body: &str) -> Response {
    let (fault, locked) = fake.with(|state| {
        let locked = state.locked_posts > 0;
        state.locked_posts = state.locked_posts.saturating_sub(1);
        (std::mem::replace(&mut state.fault, Fault::None), locked)
    });
    if locked {
        return error(
            StatusCode::FORBIDDEN,
            None,
            "",
            "Journal either closed or open by other user",
        );
    }
    match fault {
        // A panicking handler makes the server drop the connection without any answer.
        Fault::Reset => panic!("fake octopus: simulated connection reset"),
        Fault::Fail500 => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Fault::HtmlBadGateway => {
            return (
                StatusCode::BAD_GATEWAY,
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            )
                .into_response();
        }
        _ => {}
    }
    let request: Value = serde_json::from_str(body).unwrap_or_default();
    let data = &request["buySellBookingServiceData"];
    let bookyear = data["bookyearKey"]["id"].as_i64().unwrap_or_default() as i32;
    let journal_key = data["journalKey"].as_str().unwrap_or_default().to_owned();
    let nr = data["documentSequenceNr"].as_i64().unwrap_or_default() as i32;
    let period = data["bookyearPeriodeNr"].as_i64().unwrap_or_default();
    if !(202401..=202403).contains(&period) {
        return error(
            StatusCode::BAD_REQUEST,
            Some(-14),
            "De gebruikte boekjaar periode bestaat niet in het boekjaar.",
            "Bookyear period unknown",
        );
    }
    if data["relationIdentificationServiceData"]["externalRelationId"] == json!(999) {
        return error(
            StatusCode::BAD_REQUEST,
            Some(-30),
            "Relation unknown",
            "No relation with external id 999",
        );
    }
    let refused = fake.with(|state| {
        let Some(journal) = state.journals.iter_mut().find(|j| j.bookyear == bookyear && j.key == journal_key) else {
            return Some(error(StatusCode::BAD_REQUEST, Some(-6), "Journal unknown", ""));
        };
        if nr != journal.last + 1 {
            let info = format!("Unable to insert booking in dossier 4242.  Illegal document seq Nr.  Last Document = {}.  New Document = {nr}. ", journal.last);
            return Some(error(StatusCode::BAD_REQUEST, Some(-13), "Het document nummer is ongeldig.", &info));
        }
        journal.last = nr;
        state.bookings.push(Stored {
            bookyear,
            journal: journal_key.clone(),
            nr,
            amount: data["amount"].clone(),
            comment: data["comment"].as_str().unwrap_or_default().to_owned(),
        });
        None
    });
    if let Some(response) = refused {
        return response;
    }
    match fault {
        Fault::StoreThen500 => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Fault::StoreThenHang => std::future::pending::<Response>().await,
        Fault::StoreThenReset => panic!("fake octopus: simulated connection reset after storing"),
        _ => StatusCode::CREATED.into_response(),
    }
}

pub fn modified(fake: &FakeOctopus, query: &HashMap<String, String>) -> Response {
    let (Some(bookyear), Some(stamp)) = (query.get("bookyearId"), query.get("modifiedTimeStamp"))
    else {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "",
            "Invalid or missing parameters passed",
        );
    };
    if stamp != "1980-01-01 00:00:00.000" {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "",
            "Invalid or missing parameters passed",
        );
    }
    let bookyear: i32 = bookyear.parse().unwrap_or_default();
    let journal = query.get("journalKey").cloned();
    let found: Vec<Value> = fake.with(|state| {
        state
            .bookings
            .iter()
            .filter(|b| b.bookyear == bookyear && journal.as_ref().is_none_or(|j| *j == b.journal))
            .map(|b| {
                json!({"bookyearKey": {"id": b.bookyear}, "journalKey": b.journal,
                            "documentSequenceNr": b.nr, "amount": b.amount, "comment": b.comment})
            })
            .collect()
    });
    if found.is_empty() {
        error(
            StatusCode::NOT_FOUND,
            None,
            "",
            "No modified bookings found",
        )
    } else {
        reply(StatusCode::OK, Value::Array(found))
    }
}
