//! `octopus-export config ...`: the operator's commands on a running config-service, over
//! gRPC: create a tenant, set its Octopus credentials (password from stdin, never argv, never
//! echoed), import PlanManager-style `KEY=value` settings, set journal overrides and VAT
//! mappings, and show a tenant with its secrets masked.
//!
//! Reads and single-entry edits use config-service's operator API `config_admin.v1` (the fixed
//! `config.v1` contract has no reads). Checking credentials against Octopus is not here: only
//! octopus-gateway talks to Octopus, and it has no RPC for such a check yet.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};
use ox_config_service::admin::mask_user;
use ox_config_service::admin_api::v1 as admin;
use ox_config_service::admin_api::v1::config_admin_client::ConfigAdminClient;
use ox_config_service::planmanager_settings::{ACCEPTED_KEYS, PlanManagerSettings};
use ox_proto::config::v1 as pb;
use ox_proto::config::v1::config_service_client::ConfigServiceClient;
use tonic::Code;
use tonic::transport::Channel;

/// Where config-service listens.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigService {
    /// config-service's gRPC address.
    #[arg(
        long = "config-service",
        value_name = "URL",
        default_value = "http://127.0.0.1:50051"
    )]
    pub url: String,
}

/// `octopus-export config ...`.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Creates a tenant (a PlanManager customer) with its locations and their Octopus dossiers;
    /// refuses a tenant that already exists.
    CreateTenant {
        #[command(flatten)]
        service: ConfigService,
        /// Tenant id: 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'.
        #[arg(long)]
        tenant: String,
        /// The customer's name.
        #[arg(long)]
        name: String,
        /// A PlanManager location and the Octopus dossier it books into; repeat per location.
        #[arg(long = "location", value_name = "NAME=DOSSIER_ID", required = true)]
        locations: Vec<String>,
        /// The Octopus REST base URL; the real Octopus service when left out.
        #[arg(long, value_name = "URL")]
        octopus_base_url: Option<String>,
        /// Revenue account used when a line has none (0: none).
        #[arg(long, default_value_t = 0)]
        default_revenue_account: i32,
        /// Receivable account of the customers (0: none).
        #[arg(long, default_value_t = 0)]
        default_receivable_account: i32,
        /// How VAT is rounded: octopus-total (once per VAT code) or document (as printed).
        #[arg(long, default_value = "octopus-total", value_parser = ["octopus-total", "document"])]
        rounding_policy: String,
    },
    /// Sets a tenant's Octopus credentials. The password is read from stdin (piped, or typed
    /// without echo at a terminal), never from the command line.
    SetCredentials {
        #[command(flatten)]
        service: ConfigService,
        #[arg(long)]
        tenant: String,
        /// The Octopus user (ACCOUNTING_USERNAME in PlanManager).
        #[arg(long)]
        user: String,
        /// The software house id Octopus issued (a UUID); the gateway cannot log in without it.
        #[arg(long, value_name = "UUID")]
        software_house: Option<String>,
    },
    /// Imports PlanManager-style `KEY=value` settings into an existing tenant. Accepted keys:
    /// ACCOUNTING_USERNAME, ACCOUNTING_PASSWORD, ACCOUNTING_SOFTWARE_HOUSE_UUID,
    /// ACCOUNTING_DOSSIER_ID, ACCOUNTING_BASE_URL; '#' starts a comment. Unknown keys are
    /// listed and nothing is imported, unless --skip-unknown. (Format:
    /// `ox_config_service::planmanager_settings`.)
    Import {
        #[command(flatten)]
        service: ConfigService,
        #[arg(long)]
        tenant: String,
        /// The locations ACCOUNTING_DOSSIER_ID applies to (repeat); all of them when left out.
        #[arg(long = "location", value_name = "NAME")]
        locations: Vec<String>,
        /// Import the known keys even if the file has unknown ones (they are still listed).
        #[arg(long)]
        skip_unknown: bool,
        /// The settings file.
        file: PathBuf,
    },
    /// Books a PlanManager journal of one location into another Octopus journal key, or
    /// removes that override.
    SetJournalOverride {
        #[command(flatten)]
        service: ConfigService,
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        location: String,
        /// The PlanManager journal code, e.g. "AAN CN".
        #[arg(long, value_name = "CODE")]
        journal: String,
        /// The Octopus journal key, e.g. V2.
        #[arg(long, required_unless_present = "remove", conflicts_with = "remove")]
        key: Option<String>,
        /// Remove the override: the journal books under its own code again.
        #[arg(long)]
        remove: bool,
    },
    /// Maps a VAT rate and regime to an Octopus sales VAT code, or removes that mapping.
    SetVatMapping {
        #[command(flatten)]
        service: ConfigService,
        #[arg(long)]
        tenant: String,
        /// The rate in percent, e.g. 21 or 5.5.
        #[arg(long)]
        rate: String,
        /// standard, reverse_charge_be, intra_eu, export or exempt.
        #[arg(long, default_value = "standard")]
        regime: String,
        /// The Octopus VAT code, e.g. 21, 06 or MC.
        #[arg(long, required_unless_present = "remove", conflicts_with = "remove")]
        code: Option<String>,
        /// Remove the mapping.
        #[arg(long)]
        remove: bool,
    },
    /// Shows a tenant's settings; the user is partly masked and the password never shown.
    Show {
        #[command(flatten)]
        service: ConfigService,
        #[arg(long)]
        tenant: String,
    },
}

/// Runs one `config` command; errors carry config-service's own explanation.
pub async fn run(command: ConfigCommand) -> anyhow::Result<ExitCode> {
    match command {
        ConfigCommand::CreateTenant {
            service,
            tenant,
            name,
            locations,
            octopus_base_url,
            default_revenue_account,
            default_receivable_account,
            rounding_policy,
        } => {
            let locations = locations
                .iter()
                .map(|location| parse_location(location))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let rounding_policy = match rounding_policy.as_str() {
                "document" => pb::RoundingPolicy::Document,
                _ => pb::RoundingPolicy::OctopusTotal,
            };
            let new = pb::Tenant {
                tenant_id: tenant,
                name,
                locations,
                default_revenue_account,
                default_receivable_account,
                rounding_policy: rounding_policy.into(),
                octopus_base_url: octopus_base_url.unwrap_or_default(),
                ..Default::default()
            };
            create_tenant(&service, new).await
        }
        ConfigCommand::SetCredentials {
            service,
            tenant,
            user,
            software_house,
        } => {
            let password = read_password(&format!(
                "Octopus password of {} for tenant {tenant}: ",
                mask_user(&user)
            ))
            .await?;
            if software_house.is_none() {
                eprintln!(
                    "warning: no --software-house given; the gateway cannot log in to Octopus until it is set"
                );
            }
            let credentials = Credentials {
                user,
                password,
                software_house: software_house.unwrap_or_default(),
            };
            let mut client = ConfigServiceClient::new(ox_kit::channel(&service.url)?);
            let key_id = store_credentials(&mut client, &service, &tenant, credentials).await?;
            println!("credentials of tenant {tenant} stored, sealed under master key {key_id}");
            Ok(ExitCode::SUCCESS)
        }
        ConfigCommand::Import {
            service,
            tenant,
            locations,
            skip_unknown,
            file,
        } => import(&service, &tenant, &locations, skip_unknown, &file).await,
        ConfigCommand::SetJournalOverride {
            service,
            tenant,
            location,
            journal,
            key,
            remove: _,
        } => {
            let mut admin = ConfigAdminClient::new(ox_kit::channel(&service.url)?);
            let change = admin
                .set_journal_override(admin::SetJournalOverrideRequest {
                    tenant_id: tenant.clone(),
                    location_name: location.clone(),
                    planmanager_code: journal.clone(),
                    octopus_journal_key: key.clone().unwrap_or_default(),
                })
                .await
                .map_err(|status| refused(status, "the journal override", &service))?
                .into_inner()
                .change();
            let target = key.map_or_else(String::new, |key| format!(" → {key}"));
            println!(
                "journal {journal}{target} at {location} of tenant {tenant}: {}",
                change_word(change)
            );
            Ok(ExitCode::SUCCESS)
        }
        ConfigCommand::SetVatMapping {
            service,
            tenant,
            rate,
            regime,
            code,
            remove: _,
        } => {
            let mut admin = ConfigAdminClient::new(ox_kit::channel(&service.url)?);
            let change = admin
                .set_vat_mapping(admin::SetVatMappingRequest {
                    tenant_id: tenant.clone(),
                    mapping: Some(pb::VatMapping {
                        rate: rate.clone(),
                        regime: regime.clone(),
                        octopus_code: code.clone().unwrap_or_default(),
                    }),
                })
                .await
                .map_err(|status| refused(status, "the VAT mapping", &service))?
                .into_inner()
                .change();
            let target = code.map_or_else(String::new, |code| format!(" → {code}"));
            println!(
                "VAT {rate}% {regime}{target} of tenant {tenant}: {}",
                change_word(change)
            );
            Ok(ExitCode::SUCCESS)
        }
        ConfigCommand::Show { service, tenant } => {
            let mut admin = ConfigAdminClient::new(ox_kit::channel(&service.url)?);
            let shown = fetch_tenant(&mut admin, &service, &tenant).await?;
            print!("{}", show_text(&shown));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Creates `tenant` unless it exists (an upsert would silently replace its mappings).
async fn create_tenant(service: &ConfigService, tenant: pb::Tenant) -> anyhow::Result<ExitCode> {
    let channel = ox_kit::channel(&service.url)?;
    let mut admin = ConfigAdminClient::new(channel.clone());
    let mut config = ConfigServiceClient::new(channel);
    match admin
        .get_tenant(admin::GetTenantRequest {
            tenant_id: tenant.tenant_id.clone(),
        })
        .await
    {
        Ok(_) => bail!(
            "tenant {} already exists; change it with `config import`, `config \
             set-journal-override` or `config set-vat-mapping`",
            tenant.tenant_id
        ),
        Err(status) if status.code() == Code::NotFound => {}
        Err(status) => return Err(refused(status, "reading the tenant", service)),
    }
    let (id, count) = (tenant.tenant_id.clone(), tenant.locations.len());
    config
        .upsert_tenant(pb::UpsertTenantRequest {
            tenant: Some(tenant),
        })
        .await
        .map_err(|status| refused(status, "the tenant", service))?;
    println!("tenant {id} created with {count} location(s)");
    Ok(ExitCode::SUCCESS)
}

/// A tenant's Octopus login, in the clear only between stdin (or the file) and the request.
struct Credentials {
    user: String,
    password: String,
    software_house: String,
}

async fn store_credentials(
    client: &mut ConfigServiceClient<Channel>,
    service: &ConfigService,
    tenant: &str,
    credentials: Credentials,
) -> anyhow::Result<String> {
    let response = client
        .set_credentials(pb::SetCredentialsRequest {
            tenant_id: tenant.to_owned(),
            user: credentials.user,
            password: credentials.password,
            software_house_uuid: credentials.software_house,
        })
        .await
        .map_err(|status| refused(status, "the credentials", service))?;
    Ok(response.into_inner().key_id)
}

async fn fetch_tenant(
    admin: &mut ConfigAdminClient<Channel>,
    service: &ConfigService,
    tenant: &str,
) -> anyhow::Result<admin::GetTenantResponse> {
    admin
        .get_tenant(admin::GetTenantRequest {
            tenant_id: tenant.to_owned(),
        })
        .await
        .map(tonic::Response::into_inner)
        .map_err(|status| refused(status, "reading the tenant", service))
}

/// `config import`: credentials first (the likelier to be refused), then dossier and URL.
async fn import(
    service: &ConfigService,
    tenant: &str,
    locations: &[String],
    skip_unknown: bool,
    file: &Path,
) -> anyhow::Result<ExitCode> {
    warn_if_readable_by_others(file);
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let settings = PlanManagerSettings::parse(&text)
        .map_err(|error| anyhow!("{}: {error}", file.display()))?;
    for (line, key) in &settings.unknown {
        eprintln!("{}:{line}: unknown key {key}", file.display());
    }
    if !settings.unknown.is_empty() && !skip_unknown {
        bail!(
            "{} has unknown keys, so nothing was imported; accepted keys: {ACCEPTED_KEYS} \
             (--skip-unknown imports the rest)",
            file.display()
        );
    }
    settings
        .check()
        .map_err(|error| anyhow!("{}: {error}", file.display()))?;
    if !locations.is_empty() && settings.dossier_id.is_none() {
        bail!("--location says where ACCOUNTING_DOSSIER_ID goes, but the file sets none");
    }

    let channel = ox_kit::channel(&service.url)?;
    let mut admin = ConfigAdminClient::new(channel.clone());
    let mut config = ConfigServiceClient::new(channel);
    let current = fetch_tenant(&mut admin, service, tenant).await?;
    let mut updated = current
        .tenant
        .ok_or_else(|| anyhow!("config-service returned no tenant"))?;
    let dossier_targets = apply_dossier(&mut updated, &settings, locations)?;
    if let Some(url) = &settings.octopus_base_url {
        updated.octopus_base_url.clone_from(url);
    }

    if let (Some(user), Some(password)) = (&settings.user, &settings.password) {
        let credentials = Credentials {
            user: user.expose().to_owned(),
            password: password.expose().to_owned(),
            software_house: settings
                .software_house_uuid
                .as_ref()
                .map(|uuid| uuid.expose().to_owned())
                .unwrap_or_default(),
        };
        let key_id = store_credentials(&mut config, service, tenant, credentials).await?;
        println!(
            "tenant {tenant}: credentials of {} stored, sealed under master key {key_id}",
            mask_user(user.expose())
        );
    }
    if settings.dossier_id.is_some() || settings.octopus_base_url.is_some() {
        config
            .upsert_tenant(pb::UpsertTenantRequest {
                tenant: Some(updated),
            })
            .await
            .map_err(|status| refused(status, "the tenant", service))?;
        if let Some(dossier_id) = settings.dossier_id {
            println!(
                "tenant {tenant}: dossier {dossier_id} for {}",
                dossier_targets.join(", ")
            );
        }
        if let Some(url) = &settings.octopus_base_url {
            println!("tenant {tenant}: Octopus base URL {url}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Points `locations` (all of the tenant's when empty) at the imported dossier; returns their
/// names.
fn apply_dossier(
    tenant: &mut pb::Tenant,
    settings: &PlanManagerSettings,
    locations: &[String],
) -> anyhow::Result<Vec<String>> {
    let Some(dossier_id) = settings.dossier_id else {
        return Ok(Vec::new());
    };
    for wanted in locations {
        if !tenant.locations.iter().any(|l| &l.location_name == wanted) {
            let known: Vec<&str> = tenant
                .locations
                .iter()
                .map(|l| l.location_name.as_str())
                .collect();
            bail!(
                "tenant {} has no location '{wanted}'; its locations are {}",
                tenant.tenant_id,
                known.join(", ")
            );
        }
    }
    let mut targets = Vec::new();
    for location in &mut tenant.locations {
        if locations.is_empty() || locations.contains(&location.location_name) {
            location.dossier_id = dossier_id;
            targets.push(location.location_name.clone());
        }
    }
    Ok(targets)
}

/// Warns when a file holding a password can be read by other users.
fn warn_if_readable_by_others(file: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(metadata) = std::fs::metadata(file)
        && metadata.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "warning: {} can be read by other users; delete it (or chmod 600) after the import",
            file.display()
        );
    }
}

/// `NAME=DOSSIER_ID` → a location; the name may itself contain '='.
fn parse_location(value: &str) -> anyhow::Result<pb::LocationDossier> {
    let Some((name, dossier)) = value.rsplit_once('=') else {
        bail!("--location {value:?}: write NAME=DOSSIER_ID, e.g. \"Bodyshop A=1111\"");
    };
    let dossier_id = dossier
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            anyhow!("--location {value:?}: the dossier id must be a positive whole number")
        })?;
    Ok(pb::LocationDossier {
        location_name: name.trim().to_owned(),
        dossier_id,
    })
}

/// Reads the password: from a pipe, or from the terminal with echo off.
async fn read_password(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        password_from_terminal(prompt).await
    } else {
        password_from(std::io::stdin().lock())
    }
}

/// The whole of `input` minus one final line ending; one line only.
fn password_from(input: impl std::io::Read) -> anyhow::Result<String> {
    let mut raw = String::new();
    input
        .take(64 * 1024)
        .read_to_string(&mut raw)
        .context("cannot read the password from stdin (it must be UTF-8 text)")?;
    let password = raw.strip_suffix('\n').unwrap_or(&raw);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        bail!(
            "no password on stdin: pipe it in (e.g. from your password manager) or type it at the prompt"
        );
    }
    if password.contains(['\n', '\r']) {
        bail!("stdin holds more than one line: give only the password");
    }
    Ok(password.to_owned())
}

/// Turns terminal echo back on when dropped, however the read ends.
struct EchoOff;

impl Drop for EchoOff {
    fn drop(&mut self) {
        let _ = std::process::Command::new("stty").arg("echo").status();
    }
}

async fn password_from_terminal(prompt: &str) -> anyhow::Result<String> {
    // std has no no-echo read: `stty` switches the terminal (its inherited stdin).
    let echo_off = std::process::Command::new("stty").arg("-echo").status();
    if !echo_off.is_ok_and(|status| status.success()) {
        bail!(
            "cannot turn off echo on this terminal, so the password is not read from it: pipe \
             it on stdin instead"
        );
    }
    let echo = EchoOff;
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    // A plain thread (not spawn_blocking) so an interrupted read does not hold up the exit.
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::stdin().read_line(&mut line).map(|_| line);
        let _ = sender.send(read);
    });
    let read = tokio::select! {
        read = receiver => read,
        _ = tokio::signal::ctrl_c() => {
            drop(echo);
            eprintln!();
            bail!("interrupted; nothing was stored");
        }
    };
    drop(echo);
    eprintln!();
    let line = read
        .context("the password reader stopped")?
        .context("cannot read the password")?;
    password_from(line.as_bytes())
}

/// Turns a refusal into the operator's message: config-service's own words, or why it could
/// not be asked.
fn refused(status: tonic::Status, what: &str, service: &ConfigService) -> anyhow::Error {
    match status.code() {
        Code::Unavailable => anyhow!(
            "cannot reach config-service at {}: {}",
            service.url,
            status.message()
        ),
        Code::Unimplemented => anyhow!(
            "config-service at {} does not serve {what} (is it an older version?)",
            service.url
        ),
        _ => anyhow!("{what}: {}", status.message()),
    }
}

fn change_word(change: admin::Change) -> &'static str {
    match change {
        admin::Change::Created => "created",
        admin::Change::Updated => "updated",
        admin::Change::Removed => "removed",
        admin::Change::Unspecified => "done",
    }
}

fn policy_name(policy: i32) -> &'static str {
    match pb::RoundingPolicy::try_from(policy) {
        Ok(pb::RoundingPolicy::Document) => "document",
        _ => "octopus-total",
    }
}

const PASSWORD_MASK: &str = "********";

/// The text `config show` prints.
fn show_text(shown: &admin::GetTenantResponse) -> String {
    let tenant = shown.tenant.clone().unwrap_or_default();
    let mut out = format!("tenant {} ({})\n", tenant.tenant_id, tenant.name);
    let url = if tenant.octopus_base_url.is_empty() {
        "the real Octopus service".to_owned()
    } else {
        tenant.octopus_base_url.clone()
    };
    out.push_str(&format!("  Octopus: {url}\n  locations:\n"));
    for location in &tenant.locations {
        out.push_str(&format!(
            "    {} → dossier {}\n",
            location.location_name, location.dossier_id
        ));
    }
    out.push_str("  journal overrides:");
    if tenant.journal_overrides.is_empty() {
        out.push_str(" none (PlanManager codes are used as Octopus keys)");
    }
    out.push('\n');
    for entry in &tenant.journal_overrides {
        out.push_str(&format!(
            "    {}: {} → {}\n",
            entry.location_name, entry.planmanager_code, entry.octopus_journal_key
        ));
    }
    out.push_str(&format!(
        "  VAT mappings:{}\n",
        if tenant.vat_mappings.is_empty() {
            " none"
        } else {
            ""
        }
    ));
    for mapping in &tenant.vat_mappings {
        out.push_str(&format!(
            "    {}% {} → {}\n",
            mapping.rate, mapping.regime, mapping.octopus_code
        ));
    }
    let limits = tenant.field_limits.unwrap_or_default();
    out.push_str(&format!(
        "  default accounts: revenue {}, receivable {} (0: none)\n  rounding: {}\n  \
         field limits: name {}, street {}, city {}, email {} (0: the mapper's default)\n",
        tenant.default_revenue_account,
        tenant.default_receivable_account,
        policy_name(tenant.rounding_policy),
        limits.name,
        limits.street_and_nr,
        limits.city,
        limits.email,
    ));
    let credentials = shown.credentials.clone().unwrap_or_default();
    if credentials.set {
        let house = if credentials.software_house_uuid_masked.is_empty() {
            "none".to_owned()
        } else {
            credentials.software_house_uuid_masked
        };
        out.push_str(&format!(
            "  credentials: user {}, password {PASSWORD_MASK}, software house {house}, sealed \
             under master key {}\n",
            credentials.user_masked, credentials.key_id
        ));
    } else {
        out.push_str("  credentials: not set\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::{Parser, Subcommand as _};

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        command: ConfigCommand,
    }

    #[test]
    fn the_clap_definition_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
        assert!(ConfigCommand::has_subcommand("set-credentials"));
    }

    #[test]
    fn no_command_takes_a_password_argument() {
        use clap::CommandFactory as _;
        for command in Cli::command().get_subcommands() {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str().to_ascii_lowercase();
                assert!(!id.contains("password"), "{} has {id}", command.get_name());
            }
        }
        let parsed = Cli::try_parse_from([
            "config",
            "set-credentials",
            "--tenant",
            "acme",
            "--user",
            "ops",
            "--password",
            "x",
        ]);
        assert!(parsed.is_err());
    }

    #[test]
    fn override_needs_a_key_or_remove_but_not_both() {
        let base = [
            "config",
            "set-journal-override",
            "--tenant",
            "acme",
            "--location",
            "A",
            "--journal",
            "AAN",
        ];
        assert!(Cli::try_parse_from(base).is_err());
        assert!(Cli::try_parse_from(base.iter().chain(&["--key", "V1"])).is_ok());
        assert!(Cli::try_parse_from(base.iter().chain(&["--remove"])).is_ok());
        assert!(Cli::try_parse_from(base.iter().chain(&["--key", "V1", "--remove"])).is_err());
        let Ok(Cli {
            command: ConfigCommand::SetJournalOverride { service, .. },
        }) = Cli::try_parse_from(base.iter().chain(&["--key", "V1"]))
        else {
            panic!("parses");
        };
        assert_eq!(service.url, "http://127.0.0.1:50051");
    }

    #[test]
    fn locations_are_name_equals_dossier() {
        let location = parse_location("Bodyshop A=1111").unwrap();
        assert_eq!(
            (location.location_name.as_str(), location.dossier_id),
            ("Bodyshop A", 1111)
        );
        assert_eq!(parse_location("A=B=7").unwrap().location_name, "A=B");
        for bad in ["Bodyshop A", "A=0", "A=-3", "A=x"] {
            assert!(parse_location(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_dossier_goes_to_the_named_locations_or_all() {
        let mut tenant = pb::Tenant {
            tenant_id: "acme".into(),
            locations: vec![
                pb::LocationDossier {
                    location_name: "A".into(),
                    dossier_id: 1,
                },
                pb::LocationDossier {
                    location_name: "B".into(),
                    dossier_id: 2,
                },
            ],
            ..Default::default()
        };
        let settings = PlanManagerSettings::parse("ACCOUNTING_DOSSIER_ID=9\n").unwrap();
        let targets = apply_dossier(&mut tenant, &settings, &["B".to_owned()]).unwrap();
        assert_eq!(targets, ["B"]);
        assert_eq!(
            tenant
                .locations
                .iter()
                .map(|l| l.dossier_id)
                .collect::<Vec<_>>(),
            [1, 9]
        );
        let targets = apply_dossier(&mut tenant, &settings, &[]).unwrap();
        assert_eq!(targets, ["A", "B"]);
        let error = apply_dossier(&mut tenant, &settings, &["C".to_owned()]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "tenant acme has no location 'C'; its locations are A, B"
        );
    }

    #[test]
    fn a_piped_password_loses_only_its_final_line_ending() {
        assert_eq!(password_from(&b"s3cret\n"[..]).unwrap(), "s3cret");
        assert_eq!(password_from(&b"s3cret\r\n"[..]).unwrap(), "s3cret");
        assert_eq!(password_from(&b" spaced \n"[..]).unwrap(), " spaced ");
        assert!(password_from(&b"\n"[..]).is_err());
        assert!(password_from(&b""[..]).is_err());
        let two = password_from(&b"one\ntwo\n"[..]).unwrap_err().to_string();
        assert_eq!(
            two,
            "stdin holds more than one line: give only the password"
        );
    }

    #[test]
    fn show_masks_the_credentials() {
        let shown = admin::GetTenantResponse {
            tenant: Some(pb::Tenant {
                tenant_id: "acme".into(),
                name: "Acme".into(),
                locations: vec![pb::LocationDossier {
                    location_name: "A".into(),
                    dossier_id: 1111,
                }],
                ..Default::default()
            }),
            credentials: Some(admin::CredentialsSummary {
                set: true,
                user_masked: "b***@acme.be".into(),
                software_house_uuid_masked: "****89ab".into(),
                key_id: "k1".into(),
            }),
        };
        let text = show_text(&shown);
        assert!(text.contains(
            "credentials: user b***@acme.be, password ********, software house ****89ab, \
             sealed under master key k1"
        ));
        assert!(text.contains("    A → dossier 1111\n"));
        assert!(text.contains("  rounding: octopus-total\n"));
        let unset = show_text(&admin::GetTenantResponse {
            tenant: shown.tenant.clone(),
            credentials: Some(admin::CredentialsSummary::default()),
        });
        assert!(unset.contains("credentials: not set"));
    }
}
