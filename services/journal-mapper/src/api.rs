//! The three RPCs as plain functions of the raw request: check it against the contract, parse the
//! profile and snapshot, map. The tonic adapter runs exactly these (on the blocking pool), so a
//! test that calls them with any request tests what the server answers.

use ox_proto::config::v1::ExportProfile;
use ox_proto::gateway::v1::DossierSnapshot;
use ox_proto::mapping::v1::{
    MapCustomersRequest, MapCustomersResponse, MapInvoicesRequest, MapInvoicesResponse,
    ValidateJournalsRequest, ValidateJournalsResponse,
};

use crate::domain::{self, Profile, Snapshot};
use crate::error::InputError;
use crate::validate;

/// `ValidateJournals`: every problem of the selection, or a refused request.
pub fn validate_journals(
    request: &ValidateJournalsRequest,
) -> Result<ValidateJournalsResponse, InputError> {
    let (profile, snapshot) = context(request.profile.as_ref(), request.snapshot.as_ref())?;
    validate::journal_uses(&request.journals)?;
    Ok(domain::validate_journals(
        &profile,
        &snapshot,
        &request.journals,
    ))
}

/// `MapCustomers`: one relation (or reason) per customer, in request order.
pub fn map_customers(request: &MapCustomersRequest) -> Result<MapCustomersResponse, InputError> {
    let profile = profile(request.profile.as_ref())?;
    validate::customers(&request.customers)?;
    Ok(MapCustomersResponse {
        customers: domain::map_customers(&profile.field_limits, &request.customers),
    })
}

/// `MapInvoices`: one booking (or reason) per invoice, in request order.
pub fn map_invoices(request: &MapInvoicesRequest) -> Result<MapInvoicesResponse, InputError> {
    let (profile, snapshot) = context(request.profile.as_ref(), request.snapshot.as_ref())?;
    validate::invoices(&request.invoices)?;
    Ok(MapInvoicesResponse {
        invoices: domain::map_invoices(&profile, &snapshot, &request.invoices),
    })
}

fn profile(profile: Option<&ExportProfile>) -> Result<Profile, InputError> {
    Profile::from_proto(profile.ok_or_else(|| InputError::missing("profile", "export profile"))?)
}

fn context(
    profile: Option<&ExportProfile>,
    snapshot: Option<&DossierSnapshot>,
) -> Result<(Profile, Snapshot), InputError> {
    let profile = self::profile(profile)?;
    let snapshot = Snapshot::from_proto(
        snapshot.ok_or_else(|| InputError::missing("snapshot", "dossier snapshot"))?,
        profile.dossier_id,
    )?;
    Ok((profile, snapshot))
}
