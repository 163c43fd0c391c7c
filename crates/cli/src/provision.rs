//! Sets the embedded stack up to match a PlanManager database: the demo tenant in config-service
//! (over gRPC) and, on first use, the simulated Octopus dossier (journals through the demo's
//! journal mapping, `lastBookedDocumentNr` just below the first invoice to export, standard
//! Belgian VAT codes, the database's GL accounts).

use std::collections::BTreeMap;

use anyhow::Context as _;
use chrono::{Datelike as _, NaiveDate};

use octopus_sim::{AccountSetup, BookyearSetup, DossierSetup, JournalSetup};
use ox_proto::config::v1::config_service_client::ConfigServiceClient;
use ox_proto::config::v1::{
    JournalOverride, LocationDossier, RoundingPolicy, SetCredentialsRequest, Tenant,
    UpsertTenantRequest, VatMapping,
};
use ox_proto::planmanager::v1::plan_manager_reader_client::PlanManagerReaderClient;
use ox_proto::planmanager::v1::{
    InvoiceFilter, JournalKind, ListGlAccountsRequest, ListJournalsRequest, ListLocationsRequest,
    StreamInvoicesRequest, stream_invoices_response,
};

use crate::stack::EmbeddedStack;

/// The demo tenant's id.
pub const DEMO_TENANT: &str = "demo";
/// The simulated Octopus dossier every demo location books into.
pub const DEMO_DOSSIER: i32 = 1001;
const DEMO_USER: &str = "demo@planmanager.example";
// A simulator-only credential; real credentials come from stdin or the operator API.
const DEMO_PASSWORD: &str = "demo-only-not-a-real-secret";
const DEMO_SOFTWARE_HOUSE: &str = "6f1c2a9e-0d2b-4c8e-9a57-3b1e2d4f5a60";

/// One PlanManager sales journal and where it books in Octopus.
#[derive(Debug, Clone)]
struct JournalPlan {
    location: String,
    code: String,
    octopus_key: String,
    last_number: i64,
    /// First selected invoice number per calendar year (the bookyear).
    first_number_per_year: BTreeMap<i32, i64>,
}

/// What provisioning found in PlanManager.
#[derive(Debug, Clone)]
pub struct Provisioned {
    /// Final invoices per location, for progress display.
    pub invoices_per_location: BTreeMap<String, usize>,
    /// PlanManager journal code → Octopus journal key, as provisioned.
    pub journal_keys: BTreeMap<String, String>,
}

/// Upserts the demo tenant and, when the simulator has no demo dossier yet, creates it.
pub async fn provision(stack: &EmbeddedStack) -> anyhow::Result<Provisioned> {
    let mut reader =
        PlanManagerReaderClient::new(ox_kit::channel(&stack.addresses.planmanager_reader)?);
    let locations = reader
        .list_locations(ListLocationsRequest {})
        .await
        .context("cannot list PlanManager locations")?
        .into_inner()
        .locations;

    let mut plans = Vec::new();
    let mut years = BTreeMap::<i32, ()>::new();
    let mut invoices_per_location = BTreeMap::new();
    for location in &locations {
        let journals = reader
            .list_journals(ListJournalsRequest {
                location_name: location.name.clone(),
            })
            .await
            .context("cannot list PlanManager journals")?
            .into_inner()
            .journals;
        let mut firsts: BTreeMap<String, BTreeMap<i32, i64>> = BTreeMap::new();
        let mut stream = reader
            .stream_invoices(StreamInvoicesRequest {
                filter: Some(InvoiceFilter {
                    location_name: location.name.clone(),
                    include_exported: true,
                    ..InvoiceFilter::default()
                }),
            })
            .await
            .context("cannot read PlanManager invoices")?
            .into_inner();
        let mut count = 0;
        while let Some(message) = stream.message().await? {
            let Some(stream_invoices_response::Item::Invoice(invoice)) = message.item else {
                continue;
            };
            count += 1;
            let Ok(date) = NaiveDate::parse_from_str(&invoice.date, "%Y-%m-%d") else {
                continue;
            };
            years.insert(date.year(), ());
            let first = firsts
                .entry(invoice.journal_code.clone())
                .or_default()
                .entry(date.year())
                .or_insert(invoice.number);
            *first = (*first).min(invoice.number);
        }
        invoices_per_location.insert(location.name.clone(), count);
        for journal in journals {
            let sales = matches!(
                JournalKind::try_from(journal.kind),
                Ok(JournalKind::Sale | JournalKind::SaleCredit)
            );
            // Empty and twice-used codes cannot be mapped; the export reports them per run.
            let taken = plans.iter().any(|plan: &JournalPlan| {
                plan.location == location.name && plan.code == journal.code
            });
            if !sales || journal.code.trim().is_empty() || taken {
                continue;
            }
            plans.push(JournalPlan {
                location: location.name.clone(),
                octopus_key: format!("V{}", plans.len() + 1),
                first_number_per_year: firsts.remove(&journal.code).unwrap_or_default(),
                code: journal.code,
                last_number: journal.last_number,
            });
        }
    }
    if years.is_empty() {
        years.insert(chrono::Utc::now().year(), ());
    }

    if !stack.sim.has_dossier(DEMO_DOSSIER) {
        let accounts = reader
            .list_gl_accounts(ListGlAccountsRequest {})
            .await
            .context("cannot read PlanManager GL accounts")?
            .into_inner()
            .accounts;
        let bookyears: Vec<BookyearSetup> = years
            .keys()
            .enumerate()
            .map(|(index, year)| BookyearSetup::calendar_year(index as i32 + 1, *year))
            .collect();
        let mut setup = DossierSetup {
            id: DEMO_DOSSIER,
            name: "Demo carrosserie BV".into(),
            bookyears: bookyears.clone(),
            journals: Vec::new(),
            vat_codes: octopus_sim::standard_vat_codes(),
            accounts: Vec::new(),
        };
        for (index, year) in years.keys().enumerate() {
            let bookyear_id = index as i32 + 1;
            for plan in &plans {
                let first = plan.first_number_per_year.get(year).copied();
                let last_booked = first.map_or(plan.last_number, |first| first - 1);
                setup.journals.push(JournalSetup {
                    bookyear_id,
                    key: plan.octopus_key.clone(),
                    name: format!("Verkoop {} ({})", plan.code, plan.location),
                    last_booked_document_nr: i32::try_from(last_booked).unwrap_or(0),
                    insertion_type: 1,
                    closed: false,
                    protected_period: 0,
                    closed_period: 0,
                });
            }
            for account in &accounts {
                setup.accounts.push(AccountSetup {
                    bookyear_id,
                    number: account.number,
                    description_nl: account.description_nl.clone(),
                    description_fr: account.description_fr.clone(),
                });
            }
        }
        stack.sim.add_dossier(setup);
    }
    // Users are not part of the saved simulator state, so the demo user is added every time.
    stack.sim.add_user(
        DEMO_USER,
        DEMO_PASSWORD,
        DEMO_SOFTWARE_HOUSE,
        &[DEMO_DOSSIER],
    );

    let tenant = Tenant {
        tenant_id: DEMO_TENANT.into(),
        name: "Demo body-shop group".into(),
        locations: locations
            .iter()
            .map(|location| LocationDossier {
                location_name: location.name.clone(),
                dossier_id: DEMO_DOSSIER,
            })
            .collect(),
        journal_overrides: plans
            .iter()
            .map(|plan| JournalOverride {
                location_name: plan.location.clone(),
                planmanager_code: plan.code.clone(),
                octopus_journal_key: plan.octopus_key.clone(),
            })
            .collect(),
        vat_mappings: demo_vat_mappings(),
        default_revenue_account: 700000,
        default_receivable_account: 400000,
        rounding_policy: RoundingPolicy::OctopusTotal as i32,
        field_limits: None,
        octopus_base_url: stack.addresses.octopus_sim.clone(),
    };
    let mut config = ConfigServiceClient::new(ox_kit::channel(&stack.addresses.config_service)?);
    config
        .upsert_tenant(UpsertTenantRequest {
            tenant: Some(tenant),
        })
        .await
        .context("cannot store the demo tenant")?;
    config
        .set_credentials(SetCredentialsRequest {
            tenant_id: DEMO_TENANT.into(),
            user: DEMO_USER.into(),
            password: DEMO_PASSWORD.into(),
            software_house_uuid: DEMO_SOFTWARE_HOUSE.into(),
        })
        .await
        .context("cannot store the demo credentials")?;
    Ok(Provisioned {
        invoices_per_location,
        journal_keys: plans
            .iter()
            .map(|plan| (plan.code.clone(), plan.octopus_key.clone()))
            .collect(),
    })
}

/// The demo's (rate, regime) → Octopus sales VAT code mapping, matching `standard_vat_codes`.
fn demo_vat_mappings() -> Vec<VatMapping> {
    [
        ("21", "standard", "21"),
        ("12", "standard", "12"),
        ("6", "standard", "06"),
        ("0", "reverse_charge_be", "MC"),
        ("0", "intra_eu", "IC"),
        ("0", "export", "EX"),
        ("0", "exempt", "VR"),
    ]
    .into_iter()
    .map(|(rate, regime, code)| VatMapping {
        rate: rate.into(),
        regime: regime.into(),
        octopus_code: code.into(),
    })
    .collect()
}
