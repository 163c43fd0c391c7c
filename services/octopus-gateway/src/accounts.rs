//! UpsertAccount: `PUT /accounts` creates a general-ledger account of a bookyear (201) or
//! updates it (204). Keyed by (bookyear, account number), so it is retried like a read.

use ox_proto::gateway::v1::Account;
use reqwest::StatusCode;
use serde::Serialize;

use crate::calls::Calls;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::http::{Endpoint, HttpCall};
use crate::session::{DossierKey, answer_error};

/// `AccountServiceData` as sent.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountOut<'a> {
    account_key: AccountKeyOut,
    description: DescriptionOut<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountKeyOut {
    bookyear_key: IdOut,
    id: i32,
}

#[derive(Debug, Serialize)]
struct IdOut {
    id: i32,
}

#[derive(Debug, Serialize)]
struct DescriptionOut<'a> {
    #[serde(rename = "description_NL", skip_serializing_if = "str::is_empty")]
    nl: &'a str,
    #[serde(rename = "description_FR", skip_serializing_if = "str::is_empty")]
    fr: &'a str,
}

impl Gateway {
    /// Creates or updates one account; returns whether Octopus created it.
    pub async fn upsert_account(
        &self,
        key: &DossierKey,
        account: &Account,
        description_fr: &str,
        calls: &mut Calls,
    ) -> Result<bool, GatewayError> {
        if account.bookyear_id <= 0 || account.number <= 0 {
            return Err(GatewayError::InvalidArgument(format!(
                "an account needs a bookyear and a positive number, got bookyear {} account {}",
                account.bookyear_id, account.number
            )));
        }
        let out = AccountOut {
            account_key: AccountKeyOut {
                bookyear_key: IdOut {
                    id: account.bookyear_id,
                },
                id: account.number,
            },
            description: DescriptionOut {
                nl: account.description.trim(),
                fr: description_fr.trim(),
            },
        };
        let body = serde_json::to_string(&out).map_err(|error| {
            GatewayError::InvalidArgument(format!("the account cannot be written as JSON: {error}"))
        })?;
        let call = HttpCall::new(Endpoint::AccountsPut, key.dossier_id).json(body);
        let outcome = self.octopus.dossier_call_retrying(key, call, calls).await?;
        let reply =
            self.octopus
                .answer_or_unavailable(Endpoint::AccountsPut, key.dossier_id, outcome)?;
        match reply.status {
            StatusCode::CREATED => Ok(true),
            status if status.is_success() => Ok(false),
            status => Err(answer_error(
                Endpoint::AccountsPut.template(),
                &reply,
                status,
            )),
        }
    }
}
