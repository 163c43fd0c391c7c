//! `octopus-export`: the demo export, the embedded stack, the sample-data generator, and a client
//! of a running orchestrator.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use octopus_export::demo::{self, DemoOptions};
use octopus_export::{run_cmd, summary};
use ox_proto::orchestrator::v1::{ExportWhat, RequeueRequest, StartExportRequest};

#[derive(Parser)]
#[command(
    name = "octopus-export",
    about = "Exports PlanManager customers and invoices to Octopus"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the demo export: the whole stack in this process against a simulated Octopus.
    Demo {
        #[arg(long, default_value = "demo-data")]
        data_dir: PathBuf,
        /// Invoices in the generated sample database (only when it is created).
        #[arg(long, default_value_t = 250)]
        invoices: u32,
        /// An existing PlanManager database instead of the generated sample.
        #[arg(long)]
        planmanager_url: Option<String>,
        /// Print only the run report, as JSON, on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        octopus: OctopusArgs,
    },
    /// Starts the embedded stack without exporting and prints its addresses until SIGTERM.
    Serve {
        #[arg(long, default_value = "demo-data")]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 250)]
        invoices: u32,
        #[arg(long)]
        planmanager_url: Option<String>,
    },
    /// Asks a running orchestrator for an export, shows its progress and prints its report.
    Run {
        #[command(flatten)]
        selection: Selection,
        /// What to export: all (customers then invoices), customers, invoices or accounts.
        #[arg(long, default_value = "all", value_parser = ["all", "customers", "invoices", "accounts"])]
        what: String,
        /// Compute everything and send nothing to Octopus.
        #[arg(long)]
        dry_run: bool,
        /// Wait for another export of the same dossier to finish instead of refusing.
        #[arg(long)]
        wait: bool,
        #[arg(long)]
        json: bool,
    },
    /// Puts the selected invoices back in the queue ("Opnieuw klaarzetten").
    Requeue {
        #[command(flatten)]
        selection: Selection,
    },
    /// Lists a tenant's export runs, newest first.
    Runs {
        #[arg(long)]
        orchestrator: String,
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Prints the report of a run.
    Report {
        #[arg(long)]
        orchestrator: String,
        run_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Operator settings of config-service: tenants, credentials, mappings.
    Config {
        #[command(subcommand)]
        command: octopus_export::config_cmd::ConfigCommand,
    },
    /// Creates a sample PlanManager database.
    Seed {
        #[arg(long)]
        planmanager_url: String,
        #[arg(long, default_value_t = 250)]
        invoices: u32,
        #[arg(long, default_value_t = demo::DEMO_SEED)]
        seed: u64,
    },
}

/// How the simulated Octopus of the demo behaves.
#[derive(clap::Args)]
struct OctopusArgs {
    /// Latency the simulated Octopus adds to every call, in milliseconds.
    #[arg(long, default_value_t = 0)]
    octopus_latency_ms: u64,
    /// Lifetime of the simulated Octopus's tokens (Octopus: 600 s).
    #[arg(long)]
    octopus_token_ttl_secs: Option<u64>,
    /// Faults to inject, e.g. "bookings:commit-drop@every=50;relations-put:502@nth=3"
    /// (grammar: TARGET ':' ACTION ('@' OPTION)*, rules separated by ';'; see octopus-sim's README).
    #[arg(long)]
    octopus_faults: Option<String>,
}

impl From<OctopusArgs> for demo::OctopusBehaviour {
    fn from(args: OctopusArgs) -> Self {
        Self {
            latency_ms: args.octopus_latency_ms,
            token_ttl_secs: args.octopus_token_ttl_secs,
            faults: args.octopus_faults,
            gateway_caps: None,
        }
    }
}

/// PlanManager's selection: location, dates, numbers and journals.
#[derive(clap::Args)]
struct Selection {
    #[arg(long)]
    orchestrator: String,
    #[arg(long)]
    tenant: String,
    #[arg(long)]
    location: String,
    /// First invoice date, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// Last invoice date, YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
    #[arg(long)]
    number_from: Option<i64>,
    #[arg(long)]
    number_to: Option<i64>,
    /// A PlanManager journal code; repeat for several; none means all sales journals.
    #[arg(long = "journal")]
    journals: Vec<String>,
}

fn print_report(report: &ox_orchestrator::report::RunReport, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        print!("{}", summary::human(report));
    }
    Ok(())
}

fn exit_code(report: &ox_orchestrator::report::RunReport) -> ExitCode {
    if report.status == "completed" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

async fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo {
            data_dir,
            invoices,
            planmanager_url,
            json,
            octopus,
        } => {
            let options = DemoOptions {
                data_dir,
                invoices,
                planmanager_url,
                octopus: octopus.into(),
            };
            let outcome = demo::run(&options).await?;
            if let Some(report) = &outcome.report {
                print_report(report, json)?;
            } else {
                eprintln!(
                    "octopus-export: interrupted; what Octopus holds is saved, and running the demo again on {} carries on",
                    options.data_dir.display()
                );
            }
            match &outcome.state {
                Ok(path) if !json => println!("Octopus state written to {}", path.display()),
                Ok(_) => {}
                Err(error) => eprintln!("octopus-export: {error:#}"),
            }
            match (&outcome.report, &outcome.state) {
                (Some(report), Ok(_)) => Ok(exit_code(report)),
                (Some(_), Err(_)) => Ok(ExitCode::from(2)),
                (None, _) => Ok(ExitCode::from(130)),
            }
        }
        Command::Serve {
            data_dir,
            invoices,
            planmanager_url,
        } => {
            let options = DemoOptions {
                data_dir,
                invoices,
                planmanager_url,
                octopus: demo::OctopusBehaviour::default(),
            };
            let _lock = demo::lock_data_dir(&options.data_dir)?;
            let (stack, _) = demo::prepare(&options).await?;
            println!("{}", serde_json::to_string(&stack.addresses)?);
            ox_kit::shutdown_signal().await;
            demo::save_sim(&stack)?;
            stack.stop().await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            selection,
            what,
            dry_run,
            wait,
            json,
        } => {
            let what = match what.as_str() {
                "customers" => ExportWhat::Customers,
                "invoices" => ExportWhat::Invoices,
                "accounts" => ExportWhat::Accounts,
                _ => ExportWhat::All,
            };
            let request = StartExportRequest {
                tenant_id: selection.tenant,
                location_name: selection.location,
                date_from: selection.from.unwrap_or_default(),
                date_to: selection.to.unwrap_or_default(),
                number_from: selection.number_from,
                number_to: selection.number_to,
                journal_codes: selection.journals,
                what: what as i32,
                dry_run,
                wait_if_busy: wait,
                detach: false,
            };
            let report = run_cmd::start_export(&selection.orchestrator, request).await?;
            print_report(&report, json)?;
            Ok(exit_code(&report))
        }
        Command::Requeue { selection } => {
            let answer = run_cmd::requeue(
                &selection.orchestrator,
                RequeueRequest {
                    tenant_id: selection.tenant,
                    location_name: selection.location,
                    date_from: selection.from.unwrap_or_default(),
                    date_to: selection.to.unwrap_or_default(),
                    number_from: selection.number_from,
                    number_to: selection.number_to,
                    journal_codes: selection.journals,
                },
            )
            .await?;
            println!(
                "{} invoices put back in the queue ({} to be checked again with Octopus)",
                answer.flags_cleared, answer.ledger_requeued
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Runs {
            orchestrator,
            tenant,
            limit,
        } => {
            for run in run_cmd::runs(&orchestrator, &tenant, limit).await? {
                let dry = if run.dry_run { " (dry run)" } else { "" };
                println!(
                    "{}  {}  {:<22} {}{dry}  dossier {}",
                    run.run_id, run.started_at, run.status, run.location_name, run.dossier_id
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            orchestrator,
            run_id,
            json,
        } => {
            let report = run_cmd::report(&orchestrator, &run_id).await?;
            print_report(&report, json)?;
            Ok(exit_code(&report))
        }
        Command::Config { command } => octopus_export::config_cmd::run(command).await,
        Command::Seed {
            planmanager_url,
            invoices,
            seed,
        } => {
            let summary = ox_planmanager_reader::seed::generate(&planmanager_url, invoices, seed)
                .await
                .context("cannot create the sample PlanManager database")?;
            println!("{}", serde_json::to_string_pretty(&summary)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The terminal belongs to the progress bar and the summary; logs only say what went wrong.
    let telemetry = match ox_telemetry::init("octopus-export", "warn") {
        Ok(guard) => Some(guard),
        Err(error) => {
            eprintln!("octopus-export: telemetry disabled: {error}");
            None
        }
    };
    let code = match execute(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("octopus-export: {error:#}");
            ExitCode::from(2)
        }
    };
    if let Some(telemetry) = telemetry {
        telemetry.shutdown();
    }
    code
}
