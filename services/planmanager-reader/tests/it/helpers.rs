//! Shared test plumbing: a fresh database per test on either backend (a SQLite file in a temporary
//! directory, or a new MariaDB database dropped afterwards), a running service on 127.0.0.1:0,
//! stream collectors, and [`both_backends!`] to run one test body on SQLite and on MariaDB.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use ox_planmanager_reader::{Application, SeedSummary, Settings};
use ox_proto::planmanager::v1::plan_manager_reader_client::PlanManagerReaderClient;
use ox_proto::planmanager::v1::{
    DataProblem, Invoice, InvoiceFilter, StreamInvoicesRequest, stream_invoices_response,
};
use tokio::sync::oneshot;
use tonic::transport::Channel;

pub use crate::sql::TestPool;

/// The MariaDB server the tests use (no database in the URL); `.ci/run` starts it.
pub fn mariadb_server() -> String {
    std::env::var("OX_TEST_MARIADB_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

/// Runs each named `async fn name(backend: Backend)` of the calling module as two tests,
/// `sqlite::name` and `mariadb::name`. The MariaDB ones fail (never skip) without a server.
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }
            )+
        }
        mod mariadb {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::MariaDb).await;
                }
            )+
        }
    };
}
pub(crate) use both_backends;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    MariaDb,
}

/// A directory under the system temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("pm-reader-it-{}", unique_suffix()));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
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

fn unique_suffix() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{}_{n}_{nanos}", std::process::id())
}

/// A database URL of its own for one test: nothing exists yet (seeding or migrating creates it);
/// dropped (the file or the MariaDB database) when this value is dropped, even after a panic.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    dir: Option<TempDir>,
    mariadb_name: Option<String>,
}

impl TestDb {
    /// A fresh, not yet created database. On MariaDB this checks the server answers, and fails
    /// the test with a clear message when it does not.
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = TempDir::new();
                let url = format!("sqlite://{}", dir.path("planmanager.sqlite").display());
                Self {
                    backend,
                    url,
                    dir: Some(dir),
                    mariadb_name: None,
                }
            }
            Backend::MariaDb => {
                let server = mariadb_server();
                TestPool::connect_server(&server).await;
                let name = format!("ox_reader_{}", unique_suffix());
                Self {
                    backend,
                    url: format!("{server}/{name}"),
                    dir: None,
                    mariadb_name: Some(name),
                }
            }
        }
    }

    /// A fresh database seeded with `invoices` invoices from seed 7.
    pub async fn seeded(backend: Backend, invoices: u32) -> (Self, SeedSummary) {
        let db = Self::new(backend).await;
        let summary = ox_planmanager_reader::seed::generate(&db.url, invoices, 7)
            .await
            .unwrap();
        (db, summary)
    }

    /// A second URL next to this one (another SQLite file, another MariaDB database); the caller
    /// keeps the returned guard alive as long as it uses the URL.
    pub async fn sibling(&self) -> TestDb {
        Self::new(self.backend).await
    }

    /// Whether the database exists (the SQLite file, the MariaDB database).
    pub async fn exists(&self) -> bool {
        match (&self.dir, &self.mariadb_name) {
            (Some(dir), _) => dir.path("planmanager.sqlite").exists(),
            (_, Some(name)) => {
                let server = TestPool::connect_server(&mariadb_server()).await;
                server
                    .scalar(&format!(
                        "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{name}'"
                    ))
                    .await
                    == 1
            }
            _ => unreachable!("a test database is a file or a MariaDB database"),
        }
    }

    /// Creates the database empty, without any table.
    pub async fn create_empty(&self) {
        match &self.mariadb_name {
            Some(name) => {
                let server = TestPool::connect_server(&mariadb_server()).await;
                server.execute(&format!("CREATE DATABASE `{name}`")).await;
            }
            None => {
                let pool = TestPool::connect(&format!("{}?mode=rwc", self.url)).await;
                pool.close().await;
            }
        }
    }

    /// How many tables the database holds.
    pub async fn table_count(&self) -> i64 {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            Backend::MariaDb => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
            }
        };
        let pool = self.pool().await;
        let count = pool.scalar(sql).await;
        pool.close().await;
        count
    }

    /// A pool for looking at (or planting bad data in) this database directly.
    pub async fn pool(&self) -> TestPool {
        TestPool::connect(&self.url).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.mariadb_name.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on async work: a thread with
        // its own small runtime drops the database.
        let server = mariadb_server();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let server = TestPool::connect_server(&server).await;
                server
                    .execute(&format!("DROP DATABASE IF EXISTS `{name}`"))
                    .await;
            });
        })
        .join();
        if dropped.is_err() && !std::thread::panicking() {
            panic!("dropping the test database failed");
        }
    }
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
