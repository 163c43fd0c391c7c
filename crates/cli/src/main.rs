//! `octopus-export`: the demo export, the embedded stack, the sample-data generator, and a client
//! of a running orchestrator.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use octopus_export::demo::{self, DemoOptions};
use octopus_export::{run_cmd, summary};
use ox_proto::orchestrator::v1::{ExportWhat, StartExportRequest};

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
    /// Asks a running orchestrator for an export and prints its report.
    Run {
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
        #[arg(long)]
        json: bool,
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
        } => {
            let options = DemoOptions {
                data_dir,
                invoices,
                planmanager_url,
            };
            let (report, state_path) = demo::run(&options).await?;
            print_report(&report, json)?;
            if !json {
                println!("Octopus state written to {}", state_path.display());
            }
            Ok(exit_code(&report))
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
            };
            let (stack, _) = demo::prepare(&options).await?;
            println!("{}", serde_json::to_string(&stack.addresses)?);
            ox_kit::shutdown_signal().await;
            demo::save_sim(&stack)?;
            stack.stop().await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            orchestrator,
            tenant,
            location,
            from,
            to,
            number_from,
            number_to,
            journals,
            json,
        } => {
            let request = StartExportRequest {
                tenant_id: tenant,
                location_name: location,
                date_from: from.unwrap_or_default(),
                date_to: to.unwrap_or_default(),
                number_from,
                number_to,
                journal_codes: journals,
                what: ExportWhat::All as i32,
            };
            let report = run_cmd::start_export(&orchestrator, request).await?;
            print_report(&report, json)?;
            Ok(exit_code(&report))
        }
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
