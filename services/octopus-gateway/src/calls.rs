//! Counts the Octopus HTTP calls made to serve one gRPC request, by endpoint template.

use std::collections::BTreeMap;

use ox_proto::gateway::v1::OctopusCall;

/// The Octopus calls one request made, e.g. `"POST /authentication" → 1`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Calls(BTreeMap<&'static str, u32>);

impl Calls {
    /// Counts one call to `endpoint` (a "METHOD /path/template").
    pub fn record(&mut self, endpoint: &'static str) {
        *self.0.entry(endpoint).or_default() += 1;
    }

    /// How many calls went to `endpoint`.
    pub fn count(&self, endpoint: &str) -> u32 {
        self.0.get(endpoint).copied().unwrap_or_default()
    }

    /// How many calls were made in all.
    pub fn total(&self) -> u32 {
        self.0.values().sum()
    }

    /// The counts as the contract carries them, sorted by endpoint.
    pub fn into_proto(self) -> Vec<OctopusCall> {
        self.0
            .into_iter()
            .map(|(endpoint, count)| OctopusCall {
                endpoint: endpoint.to_owned(),
                count,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_endpoint() {
        let mut calls = Calls::default();
        calls.record("POST /authentication");
        calls.record("GET /dossiers/{dossierId}/vatcodes");
        calls.record("POST /authentication");
        assert_eq!(calls.count("POST /authentication"), 2);
        assert_eq!(calls.total(), 3);
        let proto = calls.into_proto();
        assert_eq!(proto.len(), 2);
        assert_eq!(proto[0].endpoint, "GET /dossiers/{dossierId}/vatcodes");
        assert_eq!(proto[1].count, 2);
    }
}
