//! Every Octopus endpoint the simulator serves: its call-count key (`"METHOD /template"`), its
//! short alias (used by the fault SPEC and cap overrides), the query parameters it accepts and
//! Octopus's documented daily cap ("Maximum allowed calls per day").

use axum::http::Method;

/// One endpoint of the simulated API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// `POST /authentication`.
    Login,
    /// `GET /authentication`.
    WhoAmI,
    /// `GET /dossiers`.
    ListDossiers,
    /// `POST /dossiers?dossierId=&localeId=`.
    Connect,
    /// `GET /dossiers/{dossierId}/bookyears`.
    Bookyears,
    /// `GET /dossiers/{dossierId}/bookyears/{bookyearId}/journals`.
    Journals,
    /// `GET /dossiers/{dossierId}/journals/modified`.
    JournalsModified,
    /// `GET /dossiers/{dossierId}/vatcodes`.
    VatCodes,
    /// `GET /dossiers/{dossierId}/accounts?bookyearId=`.
    Accounts,
    /// `PUT /dossiers/{dossierId}/accounts`.
    AccountsPut,
    /// `GET /dossiers/{dossierId}/accounts/modified`.
    AccountsModified,
    /// `GET /dossiers/{dossierId}/relations` (list or search).
    Relations,
    /// `PUT /dossiers/{dossierId}/relations`.
    RelationsPut,
    /// `GET /dossiers/{dossierId}/relations/modified`.
    RelationsModified,
    /// `POST /dossiers/{dossierId}/buysellbookings`.
    BookingsPost,
    /// `GET /dossiers/{dossierId}/buysellbookings` (one booking).
    BookingGet,
    /// `PUT /dossiers/{dossierId}/buysellbookings`.
    BookingsPut,
    /// `GET /dossiers/{dossierId}/buysellbookings/modified`.
    BookingsModified,
    /// `GET /error?errorCode=`.
    Error,
    /// `GET /about/version`.
    Version,
}

/// (endpoint, method, path template under the prefix, alias, accepted query parameters,
/// daily cap; for `Relations` the cap of the unfiltered list).
type Row = (
    Endpoint,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<u64>,
);

const D: &str = "/dossiers/{dossierId}";

const TABLE: [Row; 20] = [
    (
        Endpoint::Login,
        "POST",
        "/authentication",
        "login",
        &[],
        None,
    ),
    (
        Endpoint::WhoAmI,
        "GET",
        "/authentication",
        "whoami",
        &[],
        None,
    ),
    (
        Endpoint::ListDossiers,
        "GET",
        "/dossiers",
        "dossiers",
        &[],
        Some(150),
    ),
    (
        Endpoint::Connect,
        "POST",
        "/dossiers",
        "connect",
        &["dossierId", "localeId"],
        Some(150),
    ),
    (
        Endpoint::Bookyears,
        "GET",
        "/dossiers/{dossierId}/bookyears",
        "bookyears",
        &[],
        Some(24),
    ),
    (
        Endpoint::Journals,
        "GET",
        "/dossiers/{dossierId}/bookyears/{bookyearId}/journals",
        "journals",
        &[],
        Some(24),
    ),
    (
        Endpoint::JournalsModified,
        "GET",
        "/dossiers/{dossierId}/journals/modified",
        "journals-modified",
        &["modifiedTimeStamp"],
        Some(48),
    ),
    (
        Endpoint::VatCodes,
        "GET",
        "/dossiers/{dossierId}/vatcodes",
        "vatcodes",
        &[],
        Some(2),
    ),
    (
        Endpoint::Accounts,
        "GET",
        "/dossiers/{dossierId}/accounts",
        "accounts",
        &["bookyearId"],
        Some(2),
    ),
    (
        Endpoint::AccountsPut,
        "PUT",
        "/dossiers/{dossierId}/accounts",
        "accounts-put",
        &[],
        Some(400),
    ),
    (
        Endpoint::AccountsModified,
        "GET",
        "/dossiers/{dossierId}/accounts/modified",
        "accounts-modified",
        &["modifiedTimeStamp"],
        Some(48),
    ),
    (
        Endpoint::Relations,
        "GET",
        "/dossiers/{dossierId}/relations",
        "relations",
        &["relationId", "extRelationId", "name", "vatNr"],
        Some(2),
    ),
    (
        Endpoint::RelationsPut,
        "PUT",
        "/dossiers/{dossierId}/relations",
        "relations-put",
        &[],
        Some(400),
    ),
    (
        Endpoint::RelationsModified,
        "GET",
        "/dossiers/{dossierId}/relations/modified",
        "relations-modified",
        &["modifiedTimeStamp"],
        Some(48),
    ),
    (
        Endpoint::BookingsPost,
        "POST",
        "/dossiers/{dossierId}/buysellbookings",
        "bookings",
        &[],
        Some(400),
    ),
    (
        Endpoint::BookingGet,
        "GET",
        "/dossiers/{dossierId}/buysellbookings",
        "booking-get",
        &["bookyearId", "journalKey", "documentSeqNr"],
        Some(10),
    ),
    (
        Endpoint::BookingsPut,
        "PUT",
        "/dossiers/{dossierId}/buysellbookings",
        "bookings-put",
        &[],
        Some(10),
    ),
    (
        Endpoint::BookingsModified,
        "GET",
        "/dossiers/{dossierId}/buysellbookings/modified",
        "bookings-modified",
        &["bookyearId", "journalKey", "modifiedTimeStamp"],
        Some(48),
    ),
    (
        Endpoint::Error,
        "GET",
        "/error",
        "error",
        &["errorCode", "localeId"],
        Some(100),
    ),
    (
        Endpoint::Version,
        "GET",
        "/about/version",
        "version",
        &[],
        None,
    ),
];

/// The daily cap of `GET /relations` with search parameters (the unfiltered list has 2).
pub(crate) const RELATION_SEARCH_CAP: u64 = 400;

/// The alias of the relation search in cap overrides (`relations` is the unfiltered list).
pub const RELATION_SEARCH_ALIAS: &str = "relations-search";

impl Endpoint {
    /// Every endpoint, in table order.
    pub const ALL: [Endpoint; 20] = {
        let mut all = [Endpoint::Login; 20];
        let mut i = 0;
        while i < TABLE.len() {
            all[i] = TABLE[i].0;
            i += 1;
        }
        all
    };

    fn row(self) -> &'static Row {
        // The table lists the variants in declaration order, so the discriminant is the index.
        &TABLE[self as usize]
    }

    /// Returns the index of this endpoint in [`Endpoint::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Returns the call-count key, e.g. `"POST /dossiers/{dossierId}/buysellbookings"`.
    pub fn key(self) -> String {
        let row = self.row();
        format!("{} {}", row.1, row.2)
    }

    /// Returns the short alias, e.g. `"bookings"`.
    pub fn alias(self) -> &'static str {
        self.row().3
    }

    /// Returns the query parameters this endpoint accepts; any other one is a 400.
    pub fn query_parameters(self) -> &'static [&'static str] {
        self.row().4
    }

    /// Returns Octopus's documented daily cap (for `Relations`, the unfiltered list's).
    pub fn default_cap(self) -> Option<u64> {
        self.row().5
    }

    /// Whether calls carry a `/dossiers/{dossierId}` path.
    pub fn is_dossier_scoped(self) -> bool {
        self.row().2.starts_with(D)
    }

    /// Finds an endpoint by alias or by key (`"GET /dossiers/{dossierId}/vatcodes"`).
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        TABLE
            .iter()
            .find(|row| {
                row.3 == name
                    || name
                        .split_once(' ')
                        .is_some_and(|(method, path)| row.1 == method && row.2 == path.trim())
            })
            .map(|row| row.0)
    }

    /// Finds the endpoint of a routed request (method and matched template under the prefix).
    pub(crate) fn from_route(method: &Method, template: &str) -> Option<Self> {
        TABLE
            .iter()
            .find(|row| row.2 == template && row.1 == method.as_str())
            .map(|row| row.0)
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.alias())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_the_variants() {
        for (i, endpoint) in Endpoint::ALL.into_iter().enumerate() {
            assert_eq!(endpoint.index(), i);
            assert_eq!(Endpoint::parse(endpoint.alias()), Some(endpoint));
            assert_eq!(Endpoint::parse(&endpoint.key()), Some(endpoint));
        }
    }

    #[test]
    fn caps_follow_the_spec() {
        assert_eq!(Endpoint::Relations.default_cap(), Some(2));
        assert_eq!(Endpoint::BookingsPost.default_cap(), Some(400));
        assert_eq!(Endpoint::VatCodes.default_cap(), Some(2));
        assert_eq!(Endpoint::Login.default_cap(), None);
        assert_eq!(
            Endpoint::parse("POST /dossiers/{dossierId}/buysellbookings"),
            Some(Endpoint::BookingsPost)
        );
        assert!(Endpoint::BookingsPost.is_dossier_scoped());
        assert!(!Endpoint::Connect.is_dossier_scoped());
    }
}
