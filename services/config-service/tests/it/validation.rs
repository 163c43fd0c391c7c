//! Bad input is refused with INVALID_ARGUMENT naming the field, and changes nothing.

use ox_proto::config::v1 as pb;
use tonic::Code;

use crate::helpers::{
    Backend, TestApp, TestDb, both_backends, profile, sample_tenant, settings, upsert,
};

fn invalid_tenants() -> Vec<(&'static str, pb::Tenant)> {
    let mut cases = Vec::new();
    let mut t = sample_tenant("");
    cases.push(("tenant.tenant_id: must not be empty", t.clone()));
    t.tenant_id = "janssens/gent".into();
    cases.push(("tenant.tenant_id: ", t));

    let mut t = sample_tenant("janssens");
    t.locations.clear();
    t.journal_overrides.clear();
    cases.push(("tenant.locations: at least one location", t));

    let mut t = sample_tenant("janssens");
    t.locations[1].dossier_id = 0;
    cases.push((
        "tenant.locations[1].dossier_id: must be a positive Octopus dossier id; got 0",
        t,
    ));

    let mut t = sample_tenant("janssens");
    t.locations[1].location_name = "Bodyshop A".into();
    cases.push((
        "tenant.locations[1].location_name: location 'Bodyshop A' is listed twice",
        t,
    ));

    let mut t = sample_tenant("janssens");
    t.vat_mappings[1].rate = "zes".into();
    cases.push(("tenant.vat_mappings[1].rate: \"zes\" is not a decimal", t));

    let mut t = sample_tenant("janssens");
    t.vat_mappings[0].octopus_code = " ".into();
    cases.push(("tenant.vat_mappings[0].octopus_code: must not be empty", t));

    let mut t = sample_tenant("janssens");
    t.vat_mappings[1].rate = "21.0".into();
    t.vat_mappings[1].regime = "standard".into();
    cases.push((
        "tenant.vat_mappings[1].rate: rate 21% with regime standard is mapped twice",
        t,
    ));

    let mut t = sample_tenant("janssens");
    t.journal_overrides[2].location_name = "Demo JM".into();
    cases.push((
        "tenant.journal_overrides[2].location_name: location 'Demo JM' is not one of",
        t,
    ));

    let mut t = sample_tenant("janssens");
    t.journal_overrides[0].octopus_journal_key = String::new();
    cases.push((
        "tenant.journal_overrides[0].octopus_journal_key: must not be empty",
        t,
    ));

    let mut t = sample_tenant("janssens");
    t.journal_overrides[1].octopus_journal_key = "AAN CN".into();
    cases.push((
        "tenant.journal_overrides[1].octopus_journal_key: \"AAN CN\" is not a key Octopus can use",
        t,
    ));

    let mut t = sample_tenant("janssens");
    t.vat_mappings[0].octopus_code = "21%".into();
    cases.push((
        "tenant.vat_mappings[0].octopus_code: \"21%\" is not an Octopus VAT code",
        t,
    ));

    let mut t = sample_tenant("janssens");
    t.vat_mappings[1].regime = "standard".into();
    cases.push((
        "tenant.vat_mappings[1].regime: a 0% rate needs its regime",
        t,
    ));

    let mut t = sample_tenant("janssens");
    t.octopus_base_url = "service.inaras.be".into();
    cases.push(("tenant.octopus_base_url: must start with https://", t));
    cases
}

async fn invalid_tenants_are_refused_with_the_field_named_and_nothing_changes(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;

    for (expected, tenant) in invalid_tenants() {
        let status = client
            .upsert_tenant(pb::UpsertTenantRequest {
                tenant: Some(tenant),
            })
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument, "{expected}");
        assert!(
            status.message().starts_with(expected),
            "expected {expected:?}, got {:?}",
            status.message()
        );
    }
    let a = profile(&mut client, "janssens", "Bodyshop A")
        .await
        .unwrap();
    assert_eq!(
        a.dossier_id, 1111,
        "refused upserts left the tenant as it was"
    );
    assert_eq!(a.vat_mappings.len(), 2);

    let status = client
        .upsert_tenant(pb::UpsertTenantRequest { tenant: None })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    app.stop().await;
}

async fn invalid_credentials_requests_name_the_field_and_never_echo_secrets(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;

    let request = |user: &str, password: &str, uuid: &str| pb::SetCredentialsRequest {
        tenant_id: "janssens".into(),
        user: user.into(),
        password: password.into(),
        software_house_uuid: uuid.into(),
    };
    let cases = [
        (request("", "pw-123456", ""), "user: must not be empty"),
        (request("ops", "", ""), "password: must not be empty"),
        (
            request("ops", "pw-123456", "not-a-uuid-secret-value"),
            "software_house_uuid: must be a UUID",
        ),
    ];
    for (request, expected) in cases {
        let status = client.set_credentials(request).await.unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument);
        assert!(
            status.message().starts_with(expected),
            "{}",
            status.message()
        );
        assert!(!status.message().contains("pw-123456"));
        assert!(!status.message().contains("not-a-uuid-secret-value"));
    }

    let mut bad_tenant = request("ops", "pw", "");
    bad_tenant.tenant_id = "bad tenant".into();
    let status = client.set_credentials(bad_tenant).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().starts_with("tenant_id: "));

    let status = profile(&mut client, "janssens", "").await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), "location_name: must not be empty");
    app.stop().await;
}

both_backends!(
    invalid_tenants_are_refused_with_the_field_named_and_nothing_changes,
    invalid_credentials_requests_name_the_field_and_never_echo_secrets,
);
