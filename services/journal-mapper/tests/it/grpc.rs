//! The service over a real socket: the three RPCs, a refused request and a clean shutdown.

use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::{
    JournalUse, MapCustomersRequest, MapInvoicesRequest, ValidateJournalsRequest,
};
use ox_proto::planmanager::v1::{
    Customer, CustomerKind, InvoiceKind, Journal, JournalKind, VatRegime,
};

use crate::helpers::*;

fn dossier() -> ox_proto::gateway::v1::DossierSnapshot {
    snapshot_proto(
        vec![bookyear_2025()],
        vec![sales_journal(3, "V1")],
        vec![vat_code("21", 2)],
    )
}

#[tokio::test]
async fn validates_journals_over_grpc() {
    let mut app = spawn_app().await;
    let response = app
        .client
        .validate_journals(ValidateJournalsRequest {
            profile: Some(profile_proto(
                &[("700", "V1")],
                &[],
                RoundingPolicy::OctopusTotal,
            )),
            snapshot: Some(dossier()),
            journals: vec![
                JournalUse {
                    journal: Some(Journal {
                        code: "700".into(),
                        kind: JournalKind::Sale as i32,
                        ..Default::default()
                    }),
                    dates: vec!["2025-02-14".into()],
                },
                JournalUse {
                    journal: Some(Journal {
                        code: "ICTM".into(),
                        kind: JournalKind::Sale as i32,
                        ..Default::default()
                    }),
                    dates: vec!["2025-02-14".into()],
                },
            ],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.resolutions.len(), 1);
    assert_eq!(response.resolutions[0].octopus_journal_key, "V1");
    assert_eq!(response.problems.len(), 1);
    assert_eq!(response.problems[0].planmanager_code, "ICTM");
    app.stop.send(()).unwrap();
    app.server.await.unwrap().unwrap();
}

#[tokio::test]
async fn maps_customers_with_stable_hashes_over_grpc() {
    let mut app = spawn_app().await;
    let request = MapCustomersRequest {
        profile: Some(profile_proto(&[], &[], RoundingPolicy::OctopusTotal)),
        customers: vec![
            Customer {
                id: 1001,
                kind: CustomerKind::Person as i32,
                name: "Voorbeeld".into(),
                first_name: "Ilse".into(),
                country: "BE".into(),
                ..Default::default()
            },
            Customer {
                id: 1002,
                kind: CustomerKind::Company as i32,
                name: String::new(),
                ..Default::default()
            },
        ],
    };
    let first = app
        .client
        .map_customers(request.clone())
        .await
        .unwrap()
        .into_inner();
    let second = app
        .client
        .map_customers(request)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.customers.len(), 2);
    assert_eq!(first.customers[0].relation.as_ref().unwrap().vat_type, 7);
    assert_eq!(
        first.customers[0].payload_hash,
        second.customers[0].payload_hash
    );
    assert_eq!(first.customers[1].error, "customer 1002 has no name");
    app.stop.send(()).unwrap();
}

#[tokio::test]
async fn maps_invoices_with_rounding_warnings_over_grpc() {
    let mut app = spawn_app().await;
    let lines = vec![
        line(1, "10.01", "21", "2.10", VatRegime::Standard, 700000),
        line(2, "10.01", "21", "2.10", VatRegime::Standard, 700000),
        line(3, "10.01", "21", "2.10", VatRegime::Standard, 700000),
    ];
    let item = to_map(
        invoice(
            "700",
            6125001,
            "2025-02-14",
            InvoiceKind::Invoice,
            lines,
            ("30.03", "6.30", "36.33"),
        ),
        "",
        "BE",
    );
    let response = app
        .client
        .map_invoices(MapInvoicesRequest {
            profile: Some(profile_proto(
                &[("700", "V1")],
                &[("21", "standard", "21")],
                RoundingPolicy::OctopusTotal,
            )),
            snapshot: Some(dossier()),
            invoices: vec![item],
        })
        .await
        .unwrap()
        .into_inner();
    let mapped = &response.invoices[0];
    assert_eq!(mapped.error, "");
    let booking = mapped.booking.as_ref().unwrap();
    assert_eq!(
        (booking.journal_key.as_str(), booking.amount.as_str()),
        ("V1", "36.34")
    );
    assert_eq!(booking.comment, "700/6125001");
    assert_eq!(
        mapped.warnings,
        ["rounding: PlanManager total 36.33, Octopus booking 36.34 (+0.01)"]
    );
    app.stop.send(()).unwrap();
}

#[tokio::test]
async fn refuses_malformed_requests_with_invalid_argument_naming_field_and_value() {
    let mut app = spawn_app().await;
    let profile = || Some(profile_proto(&[], &[], RoundingPolicy::OctopusTotal));
    let status = app
        .client
        .map_invoices(MapInvoicesRequest {
            profile: profile(),
            snapshot: None,
            invoices: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "the request carries no dossier snapshot (field snapshot)"
    );

    let status = app
        .client
        .map_customers(MapCustomersRequest {
            profile: None,
            customers: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "the request carries no export profile (field profile)"
    );

    let status = app
        .client
        .validate_journals(ValidateJournalsRequest {
            profile: Some(profile_proto(
                &[],
                &[("21,0", "", "21")],
                RoundingPolicy::OctopusTotal,
            )),
            snapshot: Some(dossier()),
            journals: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "profile.vat_mappings[0].rate is not a decimal number: \"21,0\""
    );

    let mut bad_line = line(1, "10.01", "21", "2.10", VatRegime::Standard, 0);
    bad_line.amount_excl = "10,01".into();
    let good = to_map(
        invoice(
            "700",
            1,
            "2025-02-14",
            InvoiceKind::Invoice,
            vec![],
            ("", "", ""),
        ),
        "",
        "BE",
    );
    let bad = to_map(
        invoice(
            "700",
            2,
            "2025-02-14",
            InvoiceKind::Invoice,
            vec![bad_line],
            ("", "", ""),
        ),
        "",
        "BE",
    );
    let status = app
        .client
        .map_invoices(MapInvoicesRequest {
            profile: profile(),
            snapshot: Some(dossier()),
            invoices: vec![good, bad],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "invoices[1].invoice.lines[0].amount_excl is not a decimal number: \"10,01\" (invoice id \
         10002, number 2 in journal \"700\")"
    );
    app.stop.send(()).unwrap();
    app.server.await.unwrap().unwrap();
}
