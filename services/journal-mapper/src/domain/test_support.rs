//! Builders shared by the domain's unit tests: a dossier 1111 with bookyear "2025" (id 3, monthly
//! periods 202501..202512) and sales journals in it.

use chrono::NaiveDate;
use ox_proto::config::v1::ExportProfile;
use ox_proto::gateway::v1 as gateway;

use crate::domain::profile::Profile;
use crate::domain::snapshot::{Journal, Snapshot};

pub fn date(value: &str) -> NaiveDate {
    ox_domain::dates::parse_date("date", value).unwrap()
}

pub fn profile_with_overrides(overrides: &[(&str, &str)]) -> Profile {
    Profile::from_proto(&ExportProfile {
        dossier_id: 1111,
        journal_overrides: overrides
            .iter()
            .map(|(code, key)| ((*code).to_owned(), (*key).to_owned()))
            .collect(),
        default_revenue_account: 700000,
        ..Default::default()
    })
    .unwrap()
}

/// A sales-booking journal (type V, insertion type 1) of bookyear 3.
pub fn v_journal(key: &str) -> Journal {
    Journal {
        bookyear_id: 3,
        key: key.into(),
        journal_type: "V".into(),
        closed: false,
        last_booked_document_nr: 0,
        protected_period: 0,
        closed_period: 0,
        insertion_type: 1,
    }
}

pub fn snapshot_2025(journals: Vec<Journal>) -> Snapshot {
    let periods = (1..=12u32)
        .map(|month| {
            let start = NaiveDate::from_ymd_opt(2025, month, 1).unwrap();
            gateway::Period {
                nr: 202500 + i32::try_from(month).unwrap(),
                start_date: start.to_string(),
                end_date: ox_domain::dates::end_of_month(start).to_string(),
            }
        })
        .collect();
    let proto = gateway::DossierSnapshot {
        dossier_id: 1111,
        bookyears: vec![gateway::Bookyear {
            id: 3,
            description: "2025".into(),
            start_date: "2025-01-01".into(),
            end_date: "2025-12-31".into(),
            closed: false,
            periods,
        }],
        ..Default::default()
    };
    let mut snapshot = Snapshot::from_proto(&proto, 0).unwrap();
    snapshot.journals = journals;
    snapshot
}
