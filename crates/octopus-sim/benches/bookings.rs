//! Throughput of `POST /buysellbookings` over real HTTP on loopback: the simulator runs on one
//! current-thread Tokio runtime in its own OS thread (one core), the clients on another thread.
//!
//! `cargo bench -p octopus-sim --bench bookings -- [--connections N] [--posts N]
//! [--attachment-bytes N]` prints the POSTs per second of wall-clock time and, on Linux, per
//! CPU-second of the server thread (the figure that holds when other processes share the
//! machine). Each connection books into its own dossier, in strict document-number order,
//! through a minimal keep-alive HTTP/1.1 client so the measurement is the simulator's, not an
//! HTTP client library's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use base64::Engine as _;
use octopus_sim::{SimServer, SimState, demo_dossier};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

struct Options {
    connections: usize,
    posts: usize,
    attachment_bytes: usize,
}

fn options() -> Options {
    let mut options = Options {
        connections: 8,
        posts: 200_000,
        attachment_bytes: 1024,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).and_then(|v| v.parse::<usize>().ok());
        match args[i].as_str() {
            "--connections" => options.connections = value().expect("--connections N"),
            "--posts" => options.posts = value().expect("--posts N"),
            "--attachment-bytes" => {
                options.attachment_bytes = value().expect("--attachment-bytes N")
            }
            // `cargo bench` passes --bench; anything else is ignored too.
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    options
}

/// A keep-alive HTTP/1.1 connection that sends one request at a time.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
    host: String,
}

impl Connection {
    async fn open(addr: std::net::SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        Self {
            stream,
            buffer: Vec::with_capacity(4096),
            host: addr.to_string(),
        }
    }

    /// Sends a request and returns the status and body.
    async fn send(&mut self, method: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.stream.write_all(request.as_bytes()).await.unwrap();
        self.buffer.clear();
        let head_end = loop {
            if let Some(at) = find(&self.buffer, b"\r\n\r\n") {
                break at + 4;
            }
            self.read_more().await;
        };
        let head = std::str::from_utf8(&self.buffer[..head_end])
            .unwrap()
            .to_owned();
        let status: u16 = head[9..12].parse().unwrap();
        let length = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().unwrap())
            })
            .unwrap_or(0);
        while self.buffer.len() < head_end + length {
            self.read_more().await;
        }
        let body = String::from_utf8_lossy(&self.buffer[head_end..head_end + length]).into_owned();
        (status, body)
    }

    async fn read_more(&mut self) {
        let mut chunk = [0u8; 4096];
        let n = self.stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the simulator closed the connection");
        self.buffer.extend_from_slice(&chunk[..n]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn booking(sequence_nr: usize, attachment: &str) -> String {
    format!(
        r#"{{"buySellBookingServiceData":{{"bookyearKey":{{"id":2}},"journalKey":"V1","documentSequenceNr":{sequence_nr},"bookyearPeriodeNr":202503,"documentDate":"2025-03-15","expiryDate":"2025-04-14","relationIdentificationServiceData":{{"relationKey":{{"id":1}},"externalRelationId":100042}},"comment":"INV-2025-{sequence_nr:06}","reference":"+++123/4567/89002+++","amount":181.50,"currencyCode":"EUR","exchangeRate":1.0,"paymentMethod":1,"bookingLines":[{{"accountKey":700000,"baseAmount":100.00,"vatCodeKey":"21","vatAmount":21.00,"comment":"Herstelling"}},{{"accountKey":700100,"baseAmount":50.00,"vatCodeKey":"21","vatAmount":10.50}}]}},"attachments":[{{"fileName":"INV-{sequence_nr}.pdf","fileData":"{attachment}"}}]}}"#
    )
}

/// CPU time (user + system) a thread of this process has used so far, from
/// `/proc/self/task/{tid}/stat` (Linux; clock ticks of 10 ms). `None` elsewhere.
fn thread_cpu(tid: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The kernel id of the calling thread (Linux), to read its CPU time from another thread.
fn current_tid() -> String {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// Starts the simulator on its own OS thread with a current-thread runtime; returns its address,
/// a stop switch and the thread's kernel id.
fn start_server(
    state: SimState,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    String,
) {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::Builder::new().name("sim-server".into());
    let spawned = server.spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let server = SimServer::bind("127.0.0.1:0", state).await.unwrap();
            ready_tx.send((server.local_addr(), current_tid())).unwrap();
            server
                .run_until(async {
                    let _ = stop_rx.await;
                })
                .await
                .unwrap();
        });
    });
    spawned.expect("the OS starts a thread");
    let (addr, tid) = ready_rx.recv().unwrap();
    (addr, stop_tx, tid)
}

async fn session(addr: std::net::SocketAddr, dossier_id: i32) -> (Connection, String) {
    let (creds, _) = demo_dossier();
    let mut connection = Connection::open(addr).await;
    let login = format!(
        r#"{{"user":"{}","password":"{}"}}"#,
        creds.user, creds.password
    );
    let headers = format!("softwareHouseUuid: {}\r\n", creds.software_house_uuid);
    let (status, body) = connection
        .send(
            "POST",
            "/octopus-rest-api/v1/authentication",
            &headers,
            &login,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let token: serde_json::Value = serde_json::from_str(&body).unwrap();
    let headers = format!("Token: {}\r\n", token["token"].as_str().unwrap());
    let path = format!("/octopus-rest-api/v1/dossiers?dossierId={dossier_id}&localeId=3");
    let (status, body) = connection.send("POST", &path, &headers, "").await;
    assert_eq!(status, 200, "{body}");
    let token: serde_json::Value = serde_json::from_str(&body).unwrap();
    (
        connection,
        token["Dossiertoken"].as_str().unwrap().to_owned(),
    )
}

async fn client(
    addr: std::net::SocketAddr,
    dossier_id: i32,
    posts: usize,
    attachment: String,
    start: std::sync::Arc<tokio::sync::Barrier>,
    done: std::sync::Arc<tokio::sync::Barrier>,
) -> Duration {
    let (mut connection, token) = session(addr, dossier_id).await;
    let headers = format!("Dossiertoken: {token}\r\n");
    let path = format!("/octopus-rest-api/v1/dossiers/{dossier_id}/buysellbookings");
    let warmup = posts / 10;
    for nr in 1..=warmup {
        let (status, body) = connection
            .send("POST", &path, &headers, &booking(nr, &attachment))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    start.wait().await;
    let began = Instant::now();
    for nr in warmup + 1..=warmup + posts {
        let (status, body) = connection
            .send("POST", &path, &headers, &booking(nr, &attachment))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let elapsed = began.elapsed();
    done.wait().await;
    elapsed
}

fn main() {
    let options = options();
    let state = SimState::new();
    state.set_token_ttl(Duration::from_secs(24 * 3600));
    let (creds, template) = demo_dossier();
    let ids: Vec<i32> = (0..options.connections)
        .map(|i| 50_000 + i32::try_from(i).unwrap())
        .collect();
    for &id in &ids {
        let mut dossier = template.clone();
        dossier.id = id;
        state.add_dossier(dossier);
        let relation = serde_json::json!({
            "relationIdentificationServiceData": {"externalRelationId": 100042},
            "name": "Klant 100042", "client": true, "supplier": false, "active": true,
            "currencyCode": "EUR"
        });
        state.add_relation(id, relation).unwrap();
    }
    state.add_user(
        &creds.user,
        &creds.password,
        &creds.software_house_uuid,
        &ids,
    );
    let (addr, stop, server_tid) = start_server(state.clone());

    let per_connection = options.posts / options.connections;
    let attachment =
        base64::engine::general_purpose::STANDARD.encode(vec![b'%'; options.attachment_bytes]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (slowest, server_cpu) = runtime.block_on(async {
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(ids.len() + 1));
        let done = std::sync::Arc::new(tokio::sync::Barrier::new(ids.len() + 1));
        let tasks: Vec<_> = ids
            .iter()
            .map(|&id| {
                let (attachment, start, done) = (attachment.clone(), start.clone(), done.clone());
                tokio::spawn(client(addr, id, per_connection, attachment, start, done))
            })
            .collect();
        start.wait().await;
        let cpu_before = thread_cpu(&server_tid);
        done.wait().await;
        let cpu_after = thread_cpu(&server_tid);
        let mut slowest = Duration::ZERO;
        for task in tasks {
            slowest = slowest.max(task.await.unwrap());
        }
        (slowest, cpu_before.zip(cpu_after).map(|(b, a)| a - b))
    });
    let total = per_connection * ids.len();
    let stored: usize = ids.iter().map(|&id| state.bookings_count(id)).sum();
    assert_eq!(stored, total + (per_connection / 10) * ids.len());
    let _ = stop.send(());
    println!(
        "octopus-sim bookings: {total} POSTs over {} connections ({} B attachment), server on one thread",
        ids.len(),
        options.attachment_bytes
    );
    println!(
        "  wall clock: {:.2} s, {:.0} POSTs/s",
        slowest.as_secs_f64(),
        total as f64 / slowest.as_secs_f64()
    );
    if let Some(cpu) = server_cpu.filter(|cpu| !cpu.is_zero()) {
        println!(
            "  server CPU: {:.2} s, {:.0} POSTs per server CPU-second ({:.0}% of one core busy)",
            cpu.as_secs_f64(),
            total as f64 / cpu.as_secs_f64(),
            100.0 * cpu.as_secs_f64() / slowest.as_secs_f64()
        );
    }
}
