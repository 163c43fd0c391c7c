//! Every Octopus call is an `octopus.http` span (method, path template, status, Octopus error
//! code, dossier id), and no log line or span carries a password, a token or the software
//! house id, whatever happens (logins, renewals, refusals, rejected credentials).

use std::io::Write;
use std::sync::{Arc, Mutex};

use ox_proto::gateway::v1::{CreateBookingRequest, FindRelationRequest, GetDossierSnapshotRequest};
use serde_json::Value;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::fake_octopus::{Fault, PASSWORD, SOFTWARE_HOUSE, TOKEN_MARK, USER};
use crate::helpers::{DOSSIER, booking, dossier, simple_booking, spawn_app};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The fields of every closed `octopus.http` span.
fn http_spans(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| {
            line["fields"]["message"] == "close" && line["span"]["name"] == "octopus.http"
        })
        .map(|line| line["span"].clone())
        .collect()
}

// A current-thread runtime: the gateway's tasks run on this thread, under this subscriber.
#[tokio::test]
async fn octopus_calls_are_spans_and_secrets_never_reach_the_logs() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(capture.clone())
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let mut app = spawn_app().await;
    app.client
        .get_dossier_snapshot(GetDossierSnapshotRequest { dossier: dossier() })
        .await
        .unwrap();
    let send = |booking| CreateBookingRequest {
        dossier: dossier(),
        booking: Some(booking),
    };
    app.client
        .create_booking(send(simple_booking(6)))
        .await
        .unwrap();
    // -13: number 5 is taken by the same booking.
    app.client
        .create_booking(send(booking(5, "INV-5", "100", "21", "121")))
        .await
        .unwrap();
    app.octopus.with(|state| state.fault = Fault::StoreThen500);
    app.client
        .create_booking(send(simple_booking(7)))
        .await
        .unwrap();
    app.octopus.expire_tokens();
    let find = FindRelationRequest {
        dossier: dossier(),
        external_relation_id: 1,
    };
    app.client.find_relation(find.clone()).await.unwrap();
    app.config.set_password("wrong-horse-battery");
    app.octopus.expire_tokens();
    app.client.find_relation(find).await.unwrap_err();

    let text = capture.text();
    for secret in [
        PASSWORD,
        "wrong-horse-battery",
        TOKEN_MARK,
        SOFTWARE_HOUSE,
        USER,
    ] {
        assert!(!text.contains(secret), "{secret:?} leaked into the logs");
    }

    let spans = http_spans(&text);
    let of = |method: &str, path: &str| -> Vec<&Value> {
        spans
            .iter()
            .filter(|span| span["method"] == method && span["path"] == path)
            .collect()
    };
    let posts = of("POST", "/dossiers/{dossierId}/buysellbookings");
    assert_eq!(posts.len(), 3, "{spans:#?}");
    assert!(posts.iter().all(|span| span["dossier_id"] == DOSSIER));
    let statuses: Vec<&Value> = posts.iter().map(|span| &span["status"]).collect();
    assert_eq!(statuses, [201, 400, 500]);
    assert_eq!(posts[1]["octopus_error_code"], -13);
    assert!(posts[0].get("octopus_error_code").is_none());
    let logins = of("POST", "/authentication");
    let logins: Vec<&Value> = logins.iter().map(|span| &span["status"]).collect();
    assert_eq!(logins, [200, 200, 401]);
    let refused = of("GET", "/dossiers/{dossierId}/relations");
    assert_eq!(refused[0]["status"], 401);
    assert_eq!(refused[0]["octopus_error_code"], -79);
    assert_eq!(
        of("GET", "/dossiers/{dossierId}/buysellbookings/modified").len(),
        2
    );
}
