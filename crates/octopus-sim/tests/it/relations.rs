//! Relation upsert (201 then 204, merge), search (404, OR semantics, inactive) and validation.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, customer_json, error_body};

#[tokio::test]
async fn create_is_201_with_defaults_then_the_same_external_id_merges_with_204() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    let missing = sim.get(&token, "/relations?extRelationId=100042").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        error_body(missing).await,
        json!({"errorMessage": "No relations found"})
    );

    let created = sim.put_relation(&token, &customer_json(100042)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = created.json().await.unwrap();
    assert_eq!(
        body["relationIdentificationServiceData"],
        json!({"externalRelationId": 100042, "relationKey": {"id": 1}})
    );
    assert_eq!(body["expirationDays"], 30);
    assert_eq!(body["expirationType"], 2);
    assert_eq!(body["vatType"], 0);
    assert_eq!(body["factLanguage"], 0);
    assert_eq!(body["active"], true);

    let update = json!({
        "relationIdentificationServiceData": {"externalRelationId": 100042},
        "email": "boekhouding@example.invalid",
        "currencyCode": "EUR"
    });
    let updated = sim.put_relation(&token, &update).await;
    assert_eq!(updated.status(), StatusCode::NO_CONTENT);
    assert!(updated.text().await.unwrap().is_empty());

    let found: Value = sim
        .get(&token, "/relations?extRelationId=100042")
        .await
        .json()
        .await
        .unwrap();
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["email"], "boekhouding@example.invalid");
    assert_eq!(
        found[0]["city"], "Gent",
        "a merge keeps fields the body omits"
    );
    assert_eq!(
        sim.state.dump(sim.creds.dossier_id)["relations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn new_relations_get_ascending_keys_and_relation_key_updates_in_place() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    assert_eq!(
        sim.put_relation(&token, &customer_json(1)).await.status(),
        StatusCode::CREATED
    );
    let second: Value = sim
        .put_relation(&token, &customer_json(2))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        second["relationIdentificationServiceData"]["relationKey"]["id"],
        2
    );
    let by_key = json!({"relationIdentificationServiceData": {"relationKey": {"id": 2}}, "city": "Brugge", "currencyCode": "EUR"});
    assert_eq!(
        sim.put_relation(&token, &by_key).await.status(),
        StatusCode::NO_CONTENT
    );
    let found: Value = sim
        .get(&token, "/relations?relationId=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found[0]["city"], "Brugge");
    assert_eq!(
        found[0]["relationIdentificationServiceData"]["externalRelationId"],
        2
    );
}

#[tokio::test]
async fn search_is_an_or_over_criteria_and_includes_inactive_relations() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.put_relation(&token, &customer_json(10)).await;
    let mut inactive = customer_json(11);
    inactive["active"] = json!(false);
    sim.put_relation(&token, &inactive).await;
    sim.put_relation(&token, &customer_json(12)).await;

    let both: Value = sim
        .get(&token, "/relations?extRelationId=10&name=klant%2011")
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<i64> = both
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["relationIdentificationServiceData"]["externalRelationId"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, [10, 11]);

    let all_active: Value = sim.get(&token, "/relations").await.json().await.unwrap();
    assert_eq!(
        all_active.as_array().unwrap().len(),
        2,
        "the unfiltered list holds active relations only"
    );
    let partial = sim.get(&token, "/relations?name=Klant").await;
    assert_eq!(
        partial.status(),
        StatusCode::NOT_FOUND,
        "names match whole values only"
    );
}

#[tokio::test]
async fn relation_without_currency_is_400_and_bad_belgian_vat_is_minus_81() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    let mut no_currency = customer_json(5);
    no_currency.as_object_mut().unwrap().remove("currencyCode");
    let response = sim.put_relation(&token, &no_currency).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        error_body(response).await,
        json!({"technicalInfo": "Invalid or missing parameters passed"})
    );

    let mut bad_vat = customer_json(6);
    bad_vat["vatNr"] = json!("BE0412.345.615");
    bad_vat["vatType"] = json!(1);
    let response = sim.put_relation(&token, &bad_vat).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_body(response).await["errorCode"], -110);

    bad_vat["vatNr"] = json!("BE0412.345.614");
    assert_eq!(
        sim.put_relation(&token, &bad_vat).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn external_id_of_another_relation_cannot_be_taken_over() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.put_relation(&token, &customer_json(20)).await;
    sim.put_relation(&token, &customer_json(21)).await;
    let steal = json!({"relationIdentificationServiceData": {"relationKey": {"id": 2}, "externalRelationId": 20}, "currencyCode": "EUR"});
    let response = sim.put_relation(&token, &steal).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_body(response).await["errorCode"], -107);
}

#[tokio::test]
async fn a_ui_relation_without_external_id_is_linked_by_relation_key() {
    let sim = TestSim::start().await;
    let seeded = json!({
        "relationIdentificationServiceData": {"relationKey": {"id": 57}, "externalRelationId": 0},
        "name": "Leasing Fictief NV", "vatNr": "BE 0412.345.614", "client": true, "currencyCode": "EUR", "active": true
    });
    assert_eq!(
        sim.state
            .add_relation(sim.creds.dossier_id, seeded)
            .unwrap(),
        57
    );
    let token = sim.session().await;
    let by_vat = sim.get(&token, "/relations?vatNr=be%200412.345.614").await;
    assert_eq!(by_vat.status(), StatusCode::OK);
    let link = json!({"relationIdentificationServiceData": {"relationKey": {"id": 57}, "externalRelationId": 2002}, "currencyCode": "EUR"});
    assert_eq!(
        sim.put_relation(&token, &link).await.status(),
        StatusCode::NO_CONTENT
    );
    let found: Value = sim
        .get(&token, "/relations?extRelationId=2002")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        found[0]["relationIdentificationServiceData"]["relationKey"]["id"],
        57
    );
    assert_eq!(found[0]["name"], "Leasing Fictief NV");
}
