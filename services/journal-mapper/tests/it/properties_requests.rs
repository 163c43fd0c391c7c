//! Property tests of the gRPC edge: any request, however malformed, is answered (never a panic)
//! with either a response of one item per request item or InvalidArgument whose message names the
//! field. First on the exact functions the adapter runs, then over a real socket.

use ox_journal_mapper::api;
use ox_journal_mapper::error::InputError;
use proptest::prelude::*;
use proptest::strategy::ValueTree as _;
use proptest::test_runner::{Config, TestRunner};
use tonic::Code;

use crate::gen_requests;
use crate::helpers::spawn_app;

const CASES: u32 = 1024;

/// A refusal must be InvalidArgument and say which field of the request it is about.
fn check_refusal(error: &InputError) -> Result<(), TestCaseError> {
    let status = tonic::Status::from(error.clone());
    prop_assert_eq!(status.code(), Code::InvalidArgument);
    let message = status.message();
    prop_assert!(
        [
            "the request carries no ",
            "profile.",
            "snapshot.",
            "journals[",
            "customers[",
            "invoices["
        ]
        .iter()
        .any(|start| message.starts_with(start)),
        "{}",
        message
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn validate_journals_answers_any_request(request in gen_requests::validate_journals()) {
        if let Err(error) = api::validate_journals(&request) {
            check_refusal(&error)?;
        }
    }

    #[test]
    fn map_customers_answers_any_request(request in gen_requests::map_customers()) {
        match api::map_customers(&request) {
            Ok(response) => {
                prop_assert_eq!(response.customers.len(), request.customers.len());
                for (mapped, customer) in response.customers.iter().zip(&request.customers) {
                    prop_assert_eq!(mapped.customer_id, customer.id);
                    prop_assert_eq!(mapped.error.is_empty(), mapped.relation.is_some());
                }
            }
            Err(error) => check_refusal(&error)?,
        }
    }

    #[test]
    fn map_invoices_answers_any_request(request in gen_requests::map_invoices()) {
        match api::map_invoices(&request) {
            Ok(response) => {
                prop_assert_eq!(response.invoices.len(), request.invoices.len());
                for mapped in &response.invoices {
                    prop_assert_eq!(mapped.error.is_empty(), mapped.booking.is_some());
                }
            }
            Err(error) => check_refusal(&error)?,
        }
    }
}

/// The generators must reach both outcomes, or the properties above prove little.
#[test]
fn arbitrary_requests_are_both_refused_and_mapped() {
    let mut runner = TestRunner::deterministic();
    let (mut mapped, mut refused, mut booked) = (0, 0, 0);
    let strategy = gen_requests::map_invoices();
    for _ in 0..2000 {
        let request = strategy.new_tree(&mut runner).unwrap().current();
        match api::map_invoices(&request) {
            Ok(response) => {
                mapped += 1;
                booked += response
                    .invoices
                    .iter()
                    .filter(|i| i.booking.is_some())
                    .count();
            }
            Err(_) => refused += 1,
        }
    }
    assert!(
        mapped > 400 && refused > 400,
        "mapped {mapped}, refused {refused}"
    );
    assert!(
        booked > 40,
        "only {booked} generated invoices got as far as a booking"
    );
}

/// The same over a real socket: the server answers every request with OK or InvalidArgument.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_arbitrary_requests_with_ok_or_invalid_argument() {
    let mut app = spawn_app().await;
    let mut runner = TestRunner::new(Config {
        cases: 96,
        ..Config::default()
    });
    let mut codes = std::collections::BTreeMap::<&str, usize>::new();
    for _ in 0..96 {
        let journals = gen_requests::validate_journals()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let customers = gen_requests::map_customers()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let invoices = gen_requests::map_invoices()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let outcomes = [
            app.client.validate_journals(journals).await.map(drop),
            app.client.map_customers(customers).await.map(drop),
            app.client.map_invoices(invoices).await.map(drop),
        ];
        for outcome in outcomes {
            let code = match outcome {
                Ok(()) => "ok",
                Err(status) => {
                    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
                    "invalid argument"
                }
            };
            *codes.entry(code).or_default() += 1;
        }
    }
    assert_eq!(codes.values().sum::<usize>(), 3 * 96);
    assert!(codes.len() == 2, "both outcomes over the socket: {codes:?}");
    app.stop.send(()).unwrap();
    app.server.await.unwrap().unwrap();
}
