//! The operator API: a whole tenant with masked credentials, and single-entry edits.

use ox_config_service::admin_api::v1 as admin;
use ox_proto::config::v1 as pb;
use tonic::Code;

use crate::helpers::{
    Backend, SOFTWARE_HOUSE_UUID, TestApp, TestDb, both_backends, profile, sample_tenant,
    set_credentials, settings, upsert,
};

const USER: &str = "boekhouding@janssens.be";
const PASSWORD: &str = "Adm1n-Visible-Never";

async fn get_tenant(
    app: &TestApp,
    tenant_id: &str,
) -> Result<admin::GetTenantResponse, tonic::Status> {
    app.admin
        .clone()
        .get_tenant(admin::GetTenantRequest {
            tenant_id: tenant_id.into(),
        })
        .await
        .map(tonic::Response::into_inner)
}

async fn set_override(
    app: &TestApp,
    tenant_id: &str,
    location: &str,
    code: &str,
    key: &str,
) -> Result<admin::Change, tonic::Status> {
    app.admin
        .clone()
        .set_journal_override(admin::SetJournalOverrideRequest {
            tenant_id: tenant_id.into(),
            location_name: location.into(),
            planmanager_code: code.into(),
            octopus_journal_key: key.into(),
        })
        .await
        .map(|response| response.into_inner().change())
}

async fn set_vat(
    app: &TestApp,
    tenant_id: &str,
    rate: &str,
    regime: &str,
    code: &str,
) -> Result<admin::Change, tonic::Status> {
    app.admin
        .clone()
        .set_vat_mapping(admin::SetVatMappingRequest {
            tenant_id: tenant_id.into(),
            mapping: Some(pb::VatMapping {
                rate: rate.into(),
                regime: regime.into(),
                octopus_code: code.into(),
            }),
        })
        .await
        .map(|response| response.into_inner().change())
}

async fn a_tenant_reads_back_whole_with_masked_credentials(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;

    let read = get_tenant(&app, "janssens").await.unwrap();
    let mut expected = sample_tenant("janssens");
    expected.vat_mappings[1].rate = "0".into();
    expected.rounding_policy = pb::RoundingPolicy::OctopusTotal.into();
    assert_eq!(read.tenant, Some(expected));
    assert_eq!(read.credentials, Some(admin::CredentialsSummary::default()));

    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    let read = get_tenant(&app, "janssens").await.unwrap();
    assert_eq!(
        read.credentials,
        Some(admin::CredentialsSummary {
            set: true,
            user_masked: "b***@janssens.be".into(),
            software_house_uuid_masked: "********************************89ab".into(),
            key_id: "k1".into(),
        })
    );
    let printed = format!("{read:?}");
    for secret in [USER, PASSWORD, SOFTWARE_HOUSE_UUID] {
        assert!(!printed.contains(secret), "{secret} shown");
    }

    let status = get_tenant(&app, "nobody").await.unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "tenant nobody is not configured");
    app.stop().await;
}

async fn journal_overrides_are_set_changed_and_removed_one_at_a_time(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;

    let created = set_override(&app, "janssens", "Bodyshop B", "JVCB2", "V4").await;
    assert_eq!(created.unwrap(), admin::Change::Created);
    let updated = set_override(&app, "janssens", "Bodyshop A", "AAN", "V9").await;
    assert_eq!(updated.unwrap(), admin::Change::Updated);
    let b = profile(&mut client, "janssens", "Bodyshop B")
        .await
        .unwrap();
    assert_eq!(b.journal_overrides["JVCB2"], "V4");
    assert_eq!(b.journal_overrides["JVCB1"], "V3", "others untouched");
    let a = profile(&mut client, "janssens", "Bodyshop A")
        .await
        .unwrap();
    assert_eq!(a.journal_overrides["AAN"], "V9");

    let removed = set_override(&app, "janssens", "Bodyshop A", "AAN", "").await;
    assert_eq!(removed.unwrap(), admin::Change::Removed);
    let a = profile(&mut client, "janssens", "Bodyshop A")
        .await
        .unwrap();
    assert!(!a.journal_overrides.contains_key("AAN"));

    let cases = [
        (
            set_override(&app, "janssens", "Bodyshop A", "AAN", "").await,
            Code::NotFound,
            "tenant janssens has no journal override for 'AAN' at location 'Bodyshop A'",
        ),
        (
            set_override(&app, "janssens", "Demo JM", "AAN", "V1").await,
            Code::NotFound,
            "location 'Demo JM' of tenant janssens has no Octopus dossier configured",
        ),
        (
            set_override(&app, "nobody", "Bodyshop A", "AAN", "V1").await,
            Code::NotFound,
            "tenant nobody is not configured",
        ),
        (
            set_override(&app, "janssens", "Bodyshop A", "AAN", "700").await,
            Code::InvalidArgument,
            "journal_override.octopus_journal_key: \"700\" is not a key Octopus can use: \
             journal keys start with A, V, F, D or L followed by letters or digits, at most 10 \
             characters (e.g. V1)",
        ),
        (
            set_override(&app, "janssens", "Bodyshop A", " ", "V1").await,
            Code::InvalidArgument,
            "journal_override.planmanager_code: must not be empty",
        ),
    ];
    for (result, code, message) in cases {
        let status = result.unwrap_err();
        assert_eq!((status.code(), status.message()), (code, message));
    }
    app.stop().await;
}

async fn vat_mappings_are_set_changed_and_removed_one_at_a_time(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;

    assert_eq!(
        set_vat(&app, "janssens", "6.00", "standard", "06")
            .await
            .unwrap(),
        admin::Change::Created
    );
    assert_eq!(
        set_vat(&app, "janssens", "21", "standard", "D21")
            .await
            .unwrap(),
        admin::Change::Updated
    );
    let a = profile(&mut client, "janssens", "Bodyshop A")
        .await
        .unwrap();
    let mappings: Vec<(&str, &str, &str)> = a
        .vat_mappings
        .iter()
        .map(|m| (m.rate.as_str(), m.regime.as_str(), m.octopus_code.as_str()))
        .collect();
    assert_eq!(
        mappings,
        [
            ("21", "standard", "D21"),
            ("0", "reverse_charge_be", "MC"),
            ("6", "standard", "06"),
        ],
        "changed in place, new ones last"
    );
    assert_eq!(
        set_vat(&app, "janssens", "0", "reverse_charge_be", "")
            .await
            .unwrap(),
        admin::Change::Removed
    );
    let a = profile(&mut client, "janssens", "Bodyshop A")
        .await
        .unwrap();
    assert_eq!(a.vat_mappings.len(), 2);

    let cases = [
        (
            set_vat(&app, "janssens", "0", "reverse_charge_be", "").await,
            Code::NotFound,
            "tenant janssens has no VAT mapping for 0% with regime reverse_charge_be",
        ),
        (
            set_vat(&app, "nobody", "21", "standard", "21").await,
            Code::NotFound,
            "tenant nobody is not configured",
        ),
        (
            set_vat(&app, "janssens", "21", "standard", "21 %").await,
            Code::InvalidArgument,
            "vat_mapping.octopus_code: \"21 %\" is not an Octopus VAT code: use the code as \
             Octopus lists it, letters and digits only, at most 10 characters (e.g. 21, 06, MC)",
        ),
        (
            set_vat(&app, "janssens", "0", "standard", "00").await,
            Code::InvalidArgument,
            "vat_mapping.regime: a 0% rate needs its regime (reverse_charge_be, intra_eu, export \
             or exempt), not standard",
        ),
        (
            set_vat(&app, "janssens", "zes", "standard", "06").await,
            Code::InvalidArgument,
            "mapping.rate: \"zes\" is not a decimal percentage (write e.g. \"21\" or \"5.5\")",
        ),
        (
            set_vat(&app, "janssens", "6", "normal", "06").await,
            Code::InvalidArgument,
            "mapping.regime: \"normal\" is not a VAT regime; use one of standard, \
             reverse_charge_be, intra_eu, export, exempt",
        ),
        (
            set_vat(&app, "janssens", "121", "standard", "06").await,
            Code::InvalidArgument,
            "vat_mapping.rate: must be a percentage from 0 to 100; got 121",
        ),
    ];
    for (result, code, message) in cases {
        let status = result.unwrap_err();
        assert_eq!((status.code(), status.message()), (code, message));
    }
    app.stop().await;
}

both_backends!(
    a_tenant_reads_back_whole_with_masked_credentials,
    journal_overrides_are_set_changed_and_removed_one_at_a_time,
    vat_mappings_are_set_changed_and_removed_one_at_a_time,
);
