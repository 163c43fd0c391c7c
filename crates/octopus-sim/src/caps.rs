//! Octopus's documented daily call caps per endpoint ("Maximum allowed calls per day: N").

/// Returns the daily cap of an endpoint key such as `"GET /dossiers/{dossierId}/vatcodes"`;
/// `GET /relations` has 2 unfiltered and 400 with search parameters. `None`: no documented cap.
pub(crate) fn daily_cap(endpoint: &str, relation_search: bool) -> Option<u64> {
    let cap = match endpoint {
        "GET /dossiers" | "POST /dossiers" => 150,
        "POST /dossiers/{dossierId}/buysellbookings" => 400,
        "GET /dossiers/{dossierId}/buysellbookings" => 10,
        "PUT /dossiers/{dossierId}/buysellbookings" => 10,
        "GET /dossiers/{dossierId}/buysellbookings/modified" => 48,
        "PUT /dossiers/{dossierId}/relations" => 400,
        "GET /dossiers/{dossierId}/relations" if relation_search => 400,
        "GET /dossiers/{dossierId}/relations" => 2,
        "GET /dossiers/{dossierId}/relations/modified" => 48,
        "GET /dossiers/{dossierId}/bookyears" => 24,
        "GET /dossiers/{dossierId}/bookyears/{bookyearId}/journals" => 24,
        "GET /dossiers/{dossierId}/accounts" => 2,
        "PUT /dossiers/{dossierId}/accounts" => 400,
        "GET /dossiers/{dossierId}/vatcodes" => 2,
        "GET /error" => 100,
        _ => return None,
    };
    Some(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_cap_depends_on_search_and_auth_is_uncapped() {
        assert_eq!(
            daily_cap("GET /dossiers/{dossierId}/relations", false),
            Some(2)
        );
        assert_eq!(
            daily_cap("GET /dossiers/{dossierId}/relations", true),
            Some(400)
        );
        assert_eq!(daily_cap("POST /authentication", false), None);
    }
}
