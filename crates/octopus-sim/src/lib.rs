//! A simulator of the Octopus REST API (`/octopus-rest-api/v1`) with in-memory state, a clock
//! tests can advance, per-endpoint call counts, optional daily caps, latency and fault injection.
//! It follows `docs/octopus-api.md`; where Octopus's behaviour is unknown it picks the strictest
//! plausible one, listed below.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use octopus_sim::{SimServer, SimState, demo_dossier};
//! let state = SimState::new();
//! let (creds, dossier) = demo_dossier();
//! state.add_user(&creds.user, &creds.password, &creds.software_house_uuid, &[creds.dossier_id]);
//! state.add_dossier(dossier);
//! let server = SimServer::bind("127.0.0.1:0", state.clone()).await?;
//! println!("{}", server.base_url()); // http://127.0.0.1:PORT/octopus-rest-api/v1
//! server.run_until(std::future::pending()).await
//! # }
//! ```
//!
//! # Endpoints
//! `POST`/`GET /authentication`, `GET`/`POST /dossiers`, and under `/dossiers/{dossierId}`:
//! `GET /bookyears`, `GET /bookyears/{bookyearId}/journals`, `GET /vatcodes`,
//! `GET`/`PUT /accounts`, `GET`/`PUT /relations`, `GET /relations/modified`, `POST`/`GET /buysellbookings`,
//! `GET /buysellbookings/modified`; plus `GET /about/version` (text/plain `51.9.17`) and
//! `GET /error?errorCode=`. Call counts are keyed `"METHOD /template"`, e.g.
//! `"POST /dossiers/{dossierId}/buysellbookings"`.
//!
//! # Error codes
//! Known Octopus codes: **-13** (400) document number not `lastBookedDocumentNr + 1`, technicalInfo
//! `Unable to insert booking in dossier D.  Illegal document seq Nr.  Last Document = N.  New Document = M. `;
//! **-14** (400) period not in the bookyear, technicalInfo `Unable to insert booking in dossier D.  Bookyear period unknown`;
//! **-79** (401) "Empty access token" when the `dossierToken` (or `Token`) header is missing,
//! e.g. when the auth token is sent as `Token` to a dossier call.
//!
//! Codes chosen by the simulator (Octopus's are unknown), all with technicalInfo
//! `Unable to insert booking in dossier D.  <detail>` on bookings:
//!
//! | code | HTTP | errorMessage | when |
//! |---|---|---|---|
//! | -60 | 400 | Unknown book year | `bookyearKey.id` not in the dossier (also `PUT /accounts`) |
//! | -61 | 400 | Book year is closed | booking in a closed bookyear |
//! | -62 | 400 | Unknown journal | journal not in that bookyear |
//! | -63 | 400 | Journal has the wrong type for buy/sell bookings | not an `A` journal or a `V` journal with insertionType 1 |
//! | -64 | 403 | Journal either closed or open by other user | journal closed, or locked with `SimState::set_journal_locked` |
//! | -65 | 400 | Book year period is closed | period ≤ journal `closedPeriod` |
//! | -66 | 400 | Book year period is protected | period ≤ journal `protectedPeriod` |
//! | -67 | 400 | Unknown relation | `relationKey.id` or `externalRelationId` matches nothing, or they name different relations |
//! | -68 | 400 | Relation is not active | booking on an inactive relation |
//! | -69 | 400 | Relation is not a client or supplier for this journal | sales journal and `client != true`, purchase journal and `supplier != true` |
//! | -70 | 400 | Unknown VAT code | a line's `vatCodeKey` is not a VAT code of the dossier |
//! | -71 | 400 | VAT code not allowed in this journal | purchase code (type 1/3) in a `V` journal, or sales code (2/4) in an `A` journal |
//! | -72 | 400 | Unknown account | a line's `accountKey` is not an account of the bookyear (switch off with `set_check_accounts(false)`) |
//! | -73 | 400 | The amount does not equal the sum of the lines | `amount != Σ(baseAmount + vatAmount)` exactly; for `amount < 0` (credit note) `amount == -Σ` |
//! | -74 | 400 | Amounts may have at most 2 decimals | `amount`, `baseAmount` or `vatAmount` has non-zero digits past the cent |
//! | -75 | 400 | Unknown currency or invalid exchange rate | currency not known, EUR with `exchangeRate != 1`, rate ≤ 0 (bookings and relations) |
//! | -76 | 400 | External relation id is already used by another relation | relation PUT whose `relationKey` and `externalRelationId` match different relations |
//! | -77 | 403 | Unauthorized or disabled dossier | connect to a dossier the user may not open or that is disabled |
//! | -78 | 404 | Dossier not found | connect to an unknown dossier |
//! | -80 | 401 | Invalid or expired token presented | unknown, expired (10 min on the simulator clock), wrong kind of token, or a dossier token of another dossier |
//! | -81 | 400 | Invalid VAT number | relation `vatNr` starting with BE that is not `BE0xxx.xxx.xxx`/`BE1xxx.xxx.xxx` with a valid mod-97 check, or vatType 1/4/6 without `vatNr` |
//! | -90 | 429 | Maximum allowed calls per day exceeded | only with `set_daily_caps(true)` |
//!
//! Booking checks run in this order: body parses (else **500, empty body**), required fields
//! present (else 400 `{"technicalInfo":"Invalid or missing parameters passed"}`; required:
//! bookyearKey, journalKey, documentSequenceNr, bookyearPeriodeNr, documentDate, expiryDate,
//! amount, currencyCode, exchangeRate, a non-zero relationKey.id or externalRelationId, at least
//! one line, and per line accountKey, baseAmount, vatCodeKey, vatAmount; attachments need a
//! fileName and valid base64), then -60, -62, -63, -64, -61, -14, -65, -66, -13, -75, -67, -68,
//! -69, per line -70, -71, -72, then -74, -73. Only a fully valid booking is stored; it bumps
//! the journal's `lastBookedDocumentNr`.
//!
//! # Other choices
//! - Not-found answers carry only an errorMessage: "No relations found", "No bookings found",
//!   "Booking not found", "No journals found", "No accounts found", "No VAT codes found",
//!   "No bookyears found", "No dossiers found".
//! - Bad login: 401 with only technicalInfo `Incrementing failed login attempt count for user U, IP address A. `.
//!   After 5 failed logins in a row the user is locked for 15 minutes (simulator clock); a
//!   locked user gets 401 even with the right password.
//! - Relation PUT: a malformed body or any missing/out-of-range field (currencyCode,
//!   relationIdentificationServiceData, name, client or supplier true, enum ranges, ISO-2
//!   country) is a 400 "Invalid or missing parameters passed". A merge keeps omitted fields and
//!   `externalRelationId: 0` never clears a stored one. An empty country is stored as two spaces.
//! - Relation search: `name` and `vatNr` compare whole values ignoring case and surrounding
//!   blanks (no partial match, no VAT-number normalisation).
//! - `modifiedTimeStamp` must be exactly `yyyy-MM-dd HH:mm:ss.SSS`, read as Europe/Brussels
//!   time; bookings changed at or after it are returned.
//! - Daily caps (off by default) count per dossier and endpoint per Europe/Brussels day;
//!   `GET /relations` has 2 unfiltered and 400 searches; non-dossier endpoints share one counter.
//! - The dossier token's `localeId` is accepted (0–4) but messages are not translated.
//! - Amounts are printed like Java doubles (`121.0`, `181.5`), never through `f64`.

mod auth;
mod bookings;
mod caps;
mod clock;
mod error;
mod http;
mod relations;
mod setup;
mod state;
mod store;
mod token;
mod wire;

pub use auth::{LOCKOUT_DURATION, LOCKOUT_THRESHOLD};
pub use clock::TIMESTAMP_FORMAT;
pub use error::{ApiError, ErrorCode, ErrorResult, INVALID_PARAMETERS};
pub use http::{PREFIX, SimServer, router};
pub use setup::{
    AccountSetup, BookyearSetup, DemoCredentials, DossierSetup, JournalSetup, PeriodSetup,
    VatCodeSetup, demo_dossier, standard_vat_codes,
};
pub use state::{Fault, SimError, SimState};
pub use token::{TOKEN_LIFETIME, decode_payload};
