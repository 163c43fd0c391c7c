//! Shared test plumbing: temporary directories, a running service on 127.0.0.1:0, stream collectors.

use std::hash::{DefaultHasher, Hasher as _};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use ox_planmanager_reader::{Application, SeedSummary, Settings};
use ox_proto::planmanager::v1::plan_manager_reader_client::PlanManagerReaderClient;
use ox_proto::planmanager::v1::{
    DataProblem, Invoice, InvoiceFilter, StreamInvoicesRequest, stream_invoices_response,
};
use sqlx::{AssertSqlSafe, Row as _};
use tokio::sync::oneshot;
use tonic::transport::Channel;

/// A directory under the system temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("pm-reader-it-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    /// A SQLite URL for `file` in this directory.
    pub fn url(&self, file: &str) -> String {
        format!("sqlite://{}", self.0.join(file).display())
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A sample database of `invoices` invoices from seed 7.
pub async fn seeded(invoices: u32) -> (TempDir, String, SeedSummary) {
    let dir = TempDir::new();
    let url = dir.url("planmanager.sqlite");
    let summary = ox_planmanager_reader::seed::generate(&url, invoices, 7)
        .await
        .unwrap();
    (dir, url, summary)
}

/// The service running on a free port, with a connected client.
pub struct TestApp {
    pub client: PlanManagerReaderClient<Channel>,
    shutdown: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), ox_planmanager_reader::ReaderError>>,
}

pub async fn spawn_app(database_url: &str) -> TestApp {
    let settings = Settings {
        listen: "127.0.0.1:0".into(),
        database_url: database_url.into(),
    };
    let app = Application::build(settings).await.unwrap();
    let addr = app.local_addr();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let client = PlanManagerReaderClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    TestApp {
        client,
        shutdown,
        task,
    }
}

impl TestApp {
    /// Stops the server and waits until it has drained and closed its pool.
    pub async fn stop(self) {
        drop(self.client);
        let _ = self.shutdown.send(());
        self.task.await.unwrap().unwrap();
    }

    /// Streams a selection to the end: invoices and problems, in arrival order.
    pub async fn invoices(&mut self, filter: InvoiceFilter) -> (Vec<Invoice>, Vec<DataProblem>) {
        let mut stream = self
            .client
            .stream_invoices(StreamInvoicesRequest {
                filter: Some(filter),
            })
            .await
            .unwrap()
            .into_inner();
        let (mut invoices, mut problems) = (Vec::new(), Vec::new());
        while let Some(item) = stream.message().await.unwrap() {
            match item.item.unwrap() {
                stream_invoices_response::Item::Invoice(invoice) => invoices.push(invoice),
                stream_invoices_response::Item::Problem(problem) => problems.push(problem),
            }
        }
        (invoices, problems)
    }
}

/// A filter on one location and nothing else.
pub fn location(name: &str) -> InvoiceFilter {
    InvoiceFilter {
        location_name: name.into(),
        ..Default::default()
    }
}

/// A pool for looking at (or planting bad data in) a test database directly.
pub async fn pool(url: &str) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(url).await.unwrap()
}

/// A digest of every row of every PlanManager table (for determinism checks).
pub async fn digest(url: &str) -> u64 {
    let pool = pool(url).await;
    let mut hasher = DefaultHasher::new();
    for table in [
        "locations",
        "journals",
        "payment_terms",
        "customers",
        "gl_accounts",
        "invoices",
        "invoice_lines",
        "accounting_exports",
    ] {
        let columns: Vec<String> =
            sqlx::query("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .bind(table)
                .fetch_all(&pool)
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<String, _>("name"))
                .collect();
        let expression: Vec<String> = columns.iter().map(|c| format!("quote({c})")).collect();
        let select = format!(
            "SELECT {} FROM {table} ORDER BY rowid",
            expression.join(" || '|' || ")
        );
        for row in sqlx::query(AssertSqlSafe(select))
            .fetch_all(&pool)
            .await
            .unwrap()
        {
            hasher.write(row.get::<String, _>(0).as_bytes());
            hasher.write_u8(b'\n');
        }
    }
    pool.close().await;
    hasher.finish()
}
