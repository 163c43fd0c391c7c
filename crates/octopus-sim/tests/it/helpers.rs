//! A simulator with the demo dossier on a real socket, a reqwest client and request helpers.

use octopus_sim::{DemoCredentials, SimServer, SimState, demo_dossier};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// A running simulator; stops when dropped.
pub struct TestSim {
    pub state: SimState,
    pub base: String,
    /// The control API base, `http://127.0.0.1:PORT/_sim`.
    pub control: String,
    pub creds: DemoCredentials,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for TestSim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl TestSim {
    /// Starts the simulator with the demo dossier and its user.
    pub async fn start() -> Self {
        Self::start_with(SimState::new()).await
    }

    /// Starts the simulator on `state`, adding the demo dossier and its user.
    pub async fn start_with(state: SimState) -> Self {
        let (creds, dossier) = demo_dossier();
        state.add_user(
            &creds.user,
            &creds.password,
            &creds.software_house_uuid,
            &[creds.dossier_id],
        );
        state.add_dossier(dossier);
        let server = SimServer::bind("127.0.0.1:0", state.clone()).await.unwrap();
        let base = server.base_url();
        let control = server.control_url();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.run_until(async {
            let _ = stopped.await;
        }));
        Self {
            state,
            base,
            control,
            creds,
            client: reqwest::Client::new(),
            stop: Some(stop),
        }
    }

    /// A control API call with an optional JSON body; returns status and JSON (Null if empty).
    pub async fn control(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.control));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, value)
    }

    /// Adds a copy of the demo dossier under `id`, with the external-id 100042 customer, and
    /// lets the demo user open it.
    pub fn add_demo_copy(&self, id: i32) {
        let (_, mut dossier) = demo_dossier();
        dossier.id = id;
        self.state.add_dossier(dossier);
        self.state.add_relation(id, customer_json(100042)).unwrap();
        let mut ids = self.state.dossier_ids();
        ids.sort_unstable();
        self.state.add_user(
            &self.creds.user,
            &self.creds.password,
            &self.creds.software_house_uuid,
            &ids,
        );
    }

    /// Logs in and connects to `dossier_id`; returns the dossier token.
    pub async fn session_for(&self, dossier_id: i32) -> String {
        let token = self.login().await;
        let response = self.connect_raw(&token, dossier_id).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["Dossiertoken"].as_str().unwrap().to_owned()
    }

    /// Posts a booking to another dossier.
    pub async fn post_booking_to(&self, dossier_id: i32, token: &str, body: String) -> Response {
        self.client
            .post(self.url(&format!("/dossiers/{dossier_id}/buysellbookings")))
            .header("dossierToken", token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// The V1 journal of bookyear 2 as `GET /bookyears/2/journals` shows it.
    pub async fn v1(&self, token: &str) -> Value {
        let journals: Value = self
            .get(token, "/bookyears/2/journals")
            .await
            .json()
            .await
            .unwrap();
        journals
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["journalKey"] == "V1")
            .unwrap()
            .clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn dossier_url(&self, path: &str) -> String {
        self.url(&format!("/dossiers/{}{path}", self.creds.dossier_id))
    }

    /// `POST /authentication` with the given password.
    pub async fn login_with(&self, password: &str) -> Response {
        self.client
            .post(self.url("/authentication"))
            .header("softwareHouseUuid", &self.creds.software_house_uuid)
            .json(&json!({"user": self.creds.user, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Logs in and returns the authentication token.
    pub async fn login(&self) -> String {
        let response = self.login_with(&self.creds.password).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// `POST /dossiers?dossierId=` with an authentication token.
    pub async fn connect_raw(&self, token: &str, dossier_id: i32) -> Response {
        self.client
            .post(self.url(&format!("/dossiers?dossierId={dossier_id}&localeId=3")))
            .header("Token", token)
            .send()
            .await
            .unwrap()
    }

    /// Logs in, connects to the demo dossier and returns the dossier token.
    pub async fn session(&self) -> String {
        let token = self.login().await;
        let response = self.connect_raw(&token, self.creds.dossier_id).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["Dossiertoken"].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.client
            .get(self.dossier_url(path))
            .header("dossierToken", token)
            .send()
            .await
            .unwrap()
    }

    pub async fn put_relation(&self, token: &str, relation: &Value) -> Response {
        self.client
            .put(self.dossier_url("/relations"))
            .header("dossierToken", token)
            .json(relation)
            .send()
            .await
            .unwrap()
    }

    /// Posts a raw booking body (so tests can send exact decimal text).
    pub async fn post_booking_raw(&self, token: &str, body: String) -> Response {
        self.client
            .post(self.dossier_url("/buysellbookings"))
            .header("dossierToken", token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_booking(&self, token: &str, booking: &Value) -> Response {
        self.post_booking_raw(token, booking.to_string()).await
    }

    /// Creates the relation with external id 100042 (a client) and returns its key.
    pub async fn customer(&self, token: &str) -> i64 {
        let response = self.put_relation(token, &customer_json(100042)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        body["relationIdentificationServiceData"]["relationKey"]["id"]
            .as_i64()
            .unwrap()
    }
}

/// A minimal valid customer.
pub fn customer_json(external_id: i32) -> Value {
    json!({
        "relationIdentificationServiceData": {"externalRelationId": external_id},
        "name": format!("Klant {external_id}"),
        "client": true,
        "supplier": false,
        "streetAndNr": "Kerkstraat 1",
        "postalCode": "9000",
        "city": "Gent",
        "country": "BE",
        "currencyCode": "EUR"
    })
}

/// A valid sales booking in V1 of bookyear 2 (2025), period 202503, for external relation 100042:
/// 100.00 at 21 % plus 50.00 at 21 %, total 181.50.
pub fn booking_json(sequence_nr: i32) -> String {
    format!(
        r#"{{"buySellBookingServiceData": {{
            "bookyearKey": {{"id": 2}}, "journalKey": "V1", "documentSequenceNr": {sequence_nr},
            "bookyearPeriodeNr": 202503, "documentDate": "2025-03-15", "expiryDate": "2025-04-14",
            "relationIdentificationServiceData": {{"externalRelationId": 100042}},
            "comment": "INV-2025-{sequence_nr:04}", "reference": "+++123/4567/89002+++",
            "amount": 181.50, "currencyCode": "EUR", "exchangeRate": 1.0, "paymentMethod": 1,
            "bookingLines": [
              {{"accountKey": 700000, "baseAmount": 100.00, "vatCodeKey": "21", "vatAmount": 21.00, "comment": "Herstelling"}},
              {{"accountKey": 700100, "baseAmount": 50.00, "vatCodeKey": "21", "vatAmount": 10.50}}
            ]}},
          "attachments": [{{"fileName": "INV.pdf", "fileData": "JVBERi0xLjQK"}}]}}"#
    )
}

/// `booking_json` as a JSON value, to change fields.
pub fn booking_value(sequence_nr: i32) -> Value {
    serde_json::from_str(&booking_json(sequence_nr)).unwrap()
}

/// Reads a JSON error body.
pub async fn error_body(response: Response) -> Value {
    response.json().await.unwrap()
}
