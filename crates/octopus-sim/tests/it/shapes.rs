//! The request and response shapes of `docs/octopus-api.md` §3 (authenticate, connect, upsert,
//! find, sales booking, credit note) and §4 (ErrorResult, statuses), sent as written there,
//! with header names in the casing seen on the wire.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, error_body};

/// §3 "Upsert relation", with a VAT number whose mod-97 check is valid (the doc's placeholder
/// `BE0123.456.789` is not, and the simulator checks it).
fn acme() -> Value {
    json!({
      "relationIdentificationServiceData": {"externalRelationId": 100042},
      "name": "Acme BV", "client": true, "supplier": false,
      "defaultBookingAccountClient": 700000,
      "streetAndNr": "Kerkstraat 1", "postalCode": "9000", "city": "Gent", "country": "BE",
      "vatNr": "BE0412.345.614", "vatType": 1, "factLanguage": 0,
      "email": "boekhouding@acme.example", "currencyCode": "EUR", "active": true
    })
}

/// §3 "Sales booking (invoice)", verbatim.
const SALES_BOOKING: &str = r#"{
  "buySellBookingServiceData": {
    "bookyearKey": {"id": 3},
    "journalKey": "V1",
    "documentSequenceNr": 57,
    "bookyearPeriodeNr": 202403,
    "documentDate": "2024-03-15",
    "expiryDate": "2024-04-14",
    "relationIdentificationServiceData": {"relationKey": {"id": 28}, "externalRelationId": 100042},
    "comment": "INV-2024-0057",
    "reference": "+++123/4567/89002+++",
    "amount": 181.50,
    "currencyCode": "EUR",
    "exchangeRate": 1.0,
    "paymentMethod": 1,
    "bookingLines": [
      {"accountKey": 700000, "baseAmount": 100.00, "vatCodeKey": "21", "vatAmount": 21.00, "comment": "Consulting"},
      {"accountKey": 700100, "baseAmount": 50.00,  "vatCodeKey": "21", "vatAmount": 10.50, "comment": "Licences"}
    ]
  },
  "attachments": [ {"fileName": "INV-2024-0057.pdf", "fileData": "JVBERi0xLjQK"} ]
}"#;

#[tokio::test]
async fn authenticate_and_connect_as_in_section_3_with_wire_header_casing() {
    let sim = TestSim::start().await;
    let login = sim
        .client
        .post(sim.url("/authentication"))
        .header("Softwarehouseuuid", &sim.creds.software_house_uuid)
        .header("Content-Type", "application/json")
        .body(json!({"user": sim.creds.user, "password": sim.creds.password}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let login: Value = login.json().await.unwrap();
    assert_eq!(
        login.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["token"]
    );
    let token = login["token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3, "a JWT");

    let whoami = sim
        .client
        .get(sim.url("/authentication"))
        .header("TOKEN", token)
        .send()
        .await
        .unwrap();
    assert_eq!(whoami.status(), StatusCode::OK);
    let dossiers: Value = sim
        .client
        .get(sim.url("/dossiers"))
        .header("token", token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        dossiers,
        json!([{"dossierKey": {"id": 12345}, "dossierDescription": "Demo Carrosserie BV"}])
    );

    let connect = sim
        .client
        .post(sim.url("/dossiers?dossierId=12345&localeId=3"))
        .header("Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(connect.status(), StatusCode::OK);
    let connect: Value = connect.json().await.unwrap();
    assert_eq!(
        connect.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["Dossiertoken"]
    );
    let dossier_token = connect["Dossiertoken"].as_str().unwrap();
    assert_eq!(
        octopus_sim::decode_payload(dossier_token).unwrap()["localeId"],
        3
    );
    let bookyears = sim
        .client
        .get(sim.dossier_url("/bookyears"))
        .header("Dossiertoken", dossier_token)
        .send()
        .await
        .unwrap();
    assert_eq!(bookyears.status(), StatusCode::OK);

    let bad_locale = sim
        .client
        .post(sim.url("/dossiers?dossierId=12345&localeId=5"))
        .header("Token", token)
        .send();
    assert_eq!(bad_locale.await.unwrap().status(), StatusCode::BAD_REQUEST);
    let no_id = sim
        .client
        .post(sim.url("/dossiers"))
        .header("Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_body(no_id).await,
        json!({"technicalInfo": "Invalid or missing parameters passed"})
    );
}

#[tokio::test]
async fn upsert_and_find_relation_as_in_section_3() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    let created = sim.put_relation(&token, &acme()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let stored: Value = created.json().await.unwrap();
    assert_eq!(
        stored["relationIdentificationServiceData"],
        json!({"externalRelationId": 100042, "relationKey": {"id": 1}})
    );
    assert_eq!(stored["vatNr"], "BE0412.345.614");
    let again = sim.put_relation(&token, &acme()).await;
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    assert!(again.text().await.unwrap().is_empty());

    let found: Value = sim
        .get(&token, "/relations?extRelationId=100042")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["name"], "Acme BV");
    let by_name: Value = sim
        .get(&token, "/relations?name=acme%20bv")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        by_name[0]["relationIdentificationServiceData"]["relationKey"]["id"],
        1
    );
    let misspelled = sim
        .get(&token, "/relations?externalRelationId=100042")
        .await;
    assert_eq!(
        misspelled.status(),
        StatusCode::BAD_REQUEST,
        "never the unfiltered list"
    );
    assert_eq!(
        sim.get(&token, "/relations?extRelationId=").await.status(),
        StatusCode::BAD_REQUEST
    );
    let missing = sim.get(&token, "/relations?extRelationId=7").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let placeholder_vat = sim.put_relation(&token, &json!({
        "relationIdentificationServiceData": {"externalRelationId": 100043},
        "name": "Beta BV", "client": true, "vatNr": "BE0123.456.789", "vatType": 1, "currencyCode": "EUR"
    }))
    .await;
    assert_eq!(error_body(placeholder_vat).await["errorCode"], -110);
}

async fn booking_ready() -> (TestSim, String) {
    let sim = TestSim::start().await;
    let id = sim.creds.dossier_id;
    // The example books in bookyear 3 in March 2024, as document 57, for relation key 28.
    let (_, mut dossier) = octopus_sim::demo_dossier();
    dossier.bookyears.retain(|b| b.id != 3);
    dossier
        .bookyears
        .push(octopus_sim::BookyearSetup::calendar_year(3, 2024));
    sim.state.add_dossier(dossier);
    let mut relation = acme();
    relation["relationIdentificationServiceData"]["relationKey"] = json!({"id": 28});
    sim.state.add_relation(id, relation).unwrap();
    sim.state
        .set_last_booked_document_nr(id, 3, "V1", 56)
        .unwrap();
    let token = sim.session().await;
    (sim, token)
}

#[tokio::test]
async fn the_section_3_sales_booking_and_credit_note_are_accepted() {
    let (sim, token) = booking_ready().await;
    let created = sim.post_booking_raw(&token, SALES_BOOKING.to_owned()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(
        created.text().await.unwrap().is_empty(),
        "201 without a body"
    );
    let credit = SALES_BOOKING
        .replace("\"documentSequenceNr\": 57", "\"documentSequenceNr\": 58")
        .replace("\"amount\": 181.50", "\"amount\": -181.50");
    assert_eq!(
        sim.post_booking_raw(&token, credit).await.status(),
        StatusCode::CREATED
    );
    let read: Value = sim
        .get(
            &token,
            "/buysellbookings?bookyearId=3&journalKey=V1&documentSeqNr=58",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["amount"].to_string(), "-181.5");
    assert_eq!(read["bookingLines"][0]["baseAmount"].to_string(), "100.0");
}

#[tokio::test]
async fn errors_have_the_section_4_shape() {
    let (sim, token) = booking_ready().await;
    let old = SALES_BOOKING.replace("\"documentSequenceNr\": 57", "\"documentSequenceNr\": 1");
    let response = sim.post_booking_raw(&token, old).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = error_body(response).await;
    assert_eq!(
        body,
        json!({
            "errorCode": -13,
            "errorMessage": "Het document nummer is ongeldig. Het document nummer dient tevens oplopend te zijn en dient opeenvolgend te zijn met het laatste document nummer van het dagboek.",
            "technicalInfo": "Unable to insert booking in dossier 12345.  Illegal document seq Nr.  Last Document = 56.  New Document = 1. "
        })
    );
    let no_header = sim
        .client
        .get(sim.dossier_url("/vatcodes"))
        .header("Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(no_header.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(no_header).await["errorCode"], -79);

    let sample: Value = sim
        .client
        .get(sim.url("/error?errorCode=-14&localeId=3"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        sample,
        json!({"errorCode": -14, "errorMessage": "De gebruikte boekjaar periode bestaat niet in het boekjaar."})
    );
    let unknown = sim
        .client
        .get(sim.url("/error?errorCode=-999"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
