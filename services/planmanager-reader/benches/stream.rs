//! Streaming benchmark: seeds N invoices, starts the `planmanager-reader` binary as its own
//! process, streams every invoice with its lines through the gRPC API, and prints invoices/s,
//! lines/s and the reader's peak RSS (VmHWM from /proc/<pid>/status).
//!
//! ```text
//! cargo bench -p ox-planmanager-reader --bench stream -- \
//!     --invoices 100000,1000000 --backends sqlite,mysql [--keep] [--dir /tmp/ox-reader-bench]
//! ```
//! MariaDB: `mysql://root@127.0.0.1:3306` (or `OX_BENCH_MARIADB_URL`), database
//! `ox_reader_bench_<N>`. Seeded databases are dropped at the end unless `--keep`; a kept one is
//! reused by the next run.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use ox_proto::planmanager::v1::plan_manager_reader_client::PlanManagerReaderClient;
use ox_proto::planmanager::v1::{InvoiceFilter, StreamInvoicesRequest, stream_invoices_response};
use sqlx::migrate::MigrateDatabase as _;

struct Options {
    invoices: Vec<u32>,
    backends: Vec<String>,
    dir: PathBuf,
    keep: bool,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        invoices: vec![100_000, 1_000_000],
        backends: vec!["sqlite".into()],
        dir: std::env::temp_dir().join("ox-reader-bench"),
        keep: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().context("a value is missing after an option");
        match arg.as_str() {
            "--invoices" => {
                options.invoices = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?;
            }
            "--backends" => options.backends = value()?.split(',').map(str::to_owned).collect(),
            "--dir" => options.dir = value()?.into(),
            "--keep" => options.keep = true,
            // `cargo bench` passes `--bench` to every bench binary.
            "--bench" => {}
            other => bail!("unknown option {other}"),
        }
    }
    Ok(options)
}

/// Where the sample of `invoices` invoices lives on `backend`.
fn database_url(options: &Options, backend: &str, invoices: u32) -> anyhow::Result<String> {
    Ok(match backend {
        "sqlite" => format!(
            "sqlite://{}",
            options.dir.join(format!("pm-{invoices}.sqlite")).display()
        ),
        "mysql" => {
            let server = std::env::var("OX_BENCH_MARIADB_URL")
                .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into());
            format!("{server}/ox_reader_bench_{invoices}")
        }
        other => bail!("unknown backend {other} (sqlite or mysql)"),
    })
}

/// Seeds unless a complete sample from an earlier `--keep` run is there; returns the seconds spent.
async fn seed(url: &str, marker: &PathBuf, invoices: u32) -> anyhow::Result<Option<f64>> {
    if marker.exists() {
        return Ok(None);
    }
    drop_database(url).await?;
    let started = Instant::now();
    let summary = ox_planmanager_reader::seed::generate(url, invoices, 1).await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "  seeded {} invoices, {} lines in {seconds:.1} s ({:.0} invoices/s)",
        summary.invoices,
        summary.lines,
        f64::from(invoices) / seconds
    );
    std::fs::write(marker, "complete")?;
    Ok(Some(seconds))
}

async fn drop_database(url: &str) -> anyhow::Result<()> {
    if url.starts_with("mysql:") {
        sqlx::MySql::drop_database(url).await?;
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    Ok(())
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A /proc/<pid>/status field in kB.
fn status_kb(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .with_context(|| format!("no {field} in /proc/{pid}/status"))?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .context("no value")?
        .parse()?)
}

struct Reader(Child);

impl Drop for Reader {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn connect(port: u16) -> anyhow::Result<PlanManagerReaderClient<tonic::transport::Channel>> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match PlanManagerReaderClient::connect(format!("http://127.0.0.1:{port}")).await {
            Ok(client) => return Ok(client.max_decoding_message_size(64 * 1024 * 1024)),
            Err(_) if Instant::now() < deadline => {
                // Polling a starting process: nothing to wait on but the port.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => return Err(error).context("the reader did not start"),
        }
    }
}

async fn measure(url: &str, invoices: u32) -> anyhow::Result<()> {
    let port = free_port()?;
    let child = Command::new(env!("CARGO_BIN_EXE_planmanager-reader"))
        .env("PLANMANAGER_READER__DATABASE_URL", url)
        .env("PLANMANAGER_READER__LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .stdout(Stdio::null())
        .spawn()
        .context("cannot start planmanager-reader")?;
    let reader = Reader(child);
    let pid = reader.0.id();
    let mut client = connect(port).await?;
    let idle_kb = status_kb(pid, "VmRSS:")?;
    let request = StreamInvoicesRequest {
        filter: Some(InvoiceFilter {
            include_exported: true,
            ..Default::default()
        }),
    };
    let started = Instant::now();
    let mut stream = client.stream_invoices(request).await?.into_inner();
    let (mut count, mut lines, mut problems) = (0_u64, 0_u64, 0_u64);
    let mut first_item = None;
    while let Some(item) = stream.message().await? {
        first_item.get_or_insert_with(|| started.elapsed());
        match item.item {
            Some(stream_invoices_response::Item::Invoice(invoice)) => {
                count += 1;
                lines += invoice.lines.len() as u64;
            }
            _ => problems += 1,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak_kb = status_kb(pid, "VmHWM:")?;
    drop(reader);
    println!(
        "  N={invoices}: streamed {count} invoices + {lines} lines ({problems} problems) in \
         {seconds:.1} s (first item after {:.0} ms): {:.0} invoices/s, {:.0} lines/s; reader RSS \
         idle {:.1} MB, peak (VmHWM) {:.1} MB",
        first_item.unwrap_or_default().as_secs_f64() * 1000.0,
        count as f64 / seconds,
        lines as f64 / seconds,
        idle_kb as f64 / 1024.0,
        peak_kb as f64 / 1024.0,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    std::fs::create_dir_all(&options.dir)?;
    for backend in &options.backends {
        for &invoices in &options.invoices {
            println!("{backend}, {invoices} invoices");
            let url = database_url(&options, backend, invoices)?;
            let marker = options.dir.join(format!("{backend}-{invoices}.complete"));
            seed(&url, &marker, invoices).await?;
            let outcome = measure(&url, invoices).await;
            if !options.keep {
                drop_database(&url).await?;
                let _ = std::fs::remove_file(&marker);
            }
            outcome?;
        }
    }
    Ok(())
}
