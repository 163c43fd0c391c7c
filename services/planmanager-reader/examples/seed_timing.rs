//! Times the sample generator: `cargo run --release -p ox-planmanager-reader --example seed_timing -- /tmp/pm.sqlite 100000`
//! (a path is a SQLite file; `mysql://root@127.0.0.1:3306/pm_timing` works too). The database
//! must not hold data yet; the summary is printed as Debug.

use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "planmanager-sample.sqlite".to_owned());
    let invoices: u32 = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(100_000);
    let started = Instant::now();
    let url = if path.contains("://") {
        path
    } else {
        format!("sqlite://{path}")
    };
    let summary = ox_planmanager_reader::seed::generate(&url, invoices, 1).await?;
    let elapsed = started.elapsed();
    println!("{summary:#?}");
    println!(
        "seeded {invoices} invoices ({} lines) in {:.2?}",
        summary.lines, elapsed
    );
    Ok(())
}
