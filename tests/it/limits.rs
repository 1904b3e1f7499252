//! Connection limits and the rate limiter, over real TCP on 127.0.0.1 (docs/limits.md).
use crate::common;

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use mokhattat::config::{ConnLimits, RateLimit};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::timeout,
};

fn limits(header_read: u64, idle: u64, max: u32) -> ConnLimits {
    ConnLimits {
        header_read_timeout: Duration::from_secs(header_read),
        idle_timeout: Duration::from_secs(idle),
        max_connections: max,
    }
}

/// Read until the peer closes; `Err` if it does not within `within`. Returns what was read.
async fn read_to_close(s: &mut TcpStream, within: Duration) -> Result<Vec<u8>, Vec<u8>> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return Err(got),
            Ok(Ok(0)) | Ok(Err(_)) => return Ok(got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// Read one HTTP/1.1 response (with Content-Length) off a kept-alive connection: its status.
async fn read_response(s: &mut TcpStream) -> u16 {
    read_response_body(s).await.0
}

/// Read one HTTP/1.1 response (with Content-Length): its status and body.
async fn read_response_body(s: &mut TcpStream) -> (u16, String) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = s.read(&mut buf).await.expect("read response");
        assert!(n > 0, "connection closed before a full response");
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let len: usize = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .expect("content-length");
            if got.len() >= end + 4 + len {
                let body = String::from_utf8_lossy(&got[end + 4..end + 4 + len]).to_string();
                return (text[9..12].parse().expect("status code"), body);
            }
        }
    }
}

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/// Normal clients hitting /health on fresh connections until `stop`; counts (ok, failed).
fn background_traffic(
    base: String,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<(usize, Vec<String>)> {
    tokio::spawn(async move {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(0) // a new connection for every request
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let (mut ok, mut failed) = (0, Vec::new());
        while !stop.load(Ordering::Relaxed) {
            match client.get(format!("{base}/health")).send().await {
                Ok(r) if r.status() == 200 => ok += 1,
                Ok(r) => failed.push(format!("status {}", r.status())),
                Err(e) => failed.push(e.to_string()),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (ok, failed)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_loris_is_dropped_while_others_are_served() {
    let db = common::empty_db().await;
    let srv = common::serve_with(db.pool.clone(), |_| {}, &limits(2, 60, 64)).await;
    let stop = Arc::new(AtomicBool::new(false));
    let traffic = background_traffic(srv.base.clone(), stop.clone());

    // a kept-alive connection waiting for its next request is on the header clock too
    let mut kept = TcpStream::connect(srv.addr).await.unwrap();
    kept.write_all(HEALTH).await.unwrap();
    assert_eq!(read_response(&mut kept).await, 200);
    let kept_at = Instant::now();
    let kept_closed = tokio::spawn(async move {
        read_to_close(&mut kept, Duration::from_secs(10))
            .await
            .map(|_| kept_at.elapsed())
    });

    let start = Instant::now();
    let stream = TcpStream::connect(srv.addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    wr.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let closed = tokio::spawn(async move {
        let mut buf = [0u8; 1024];
        let mut got = Vec::new();
        loop {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => return (start.elapsed(), got),
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    });
    // a byte a second, never finishing the headers
    let mut sent = 0;
    while !closed.is_finished() && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if wr.write_all(b"a").await.is_err() {
            break;
        }
        sent += 1;
    }
    let (elapsed, got) = timeout(Duration::from_secs(2), closed)
        .await
        .expect("the slow client was not disconnected within 10 s")
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    let (ok, failed) = traffic.await.unwrap();
    let kept_closed = kept_closed
        .await
        .unwrap()
        .expect("the kept-alive connection was not closed");
    println!("kept-alive connection closed {kept_closed:?} after its response (idle timeout 60 s)");
    assert!(
        kept_closed >= Duration::from_millis(1500) && kept_closed <= Duration::from_secs(4),
        "kept-alive connection closed after {kept_closed:?}"
    );
    println!(
        "slow loris closed after {elapsed:?} ({sent} bytes trickled, answer {:?}); {ok} requests served meanwhile",
        String::from_utf8_lossy(&got).lines().next().unwrap_or("")
    );
    assert!(
        elapsed >= Duration::from_millis(1500) && elapsed <= Duration::from_secs(4),
        "closed after {elapsed:?}, expected about 2 s"
    );
    assert!(
        !String::from_utf8_lossy(&got).contains("200 OK"),
        "the slow request was answered"
    );
    assert!(failed.is_empty(), "normal requests failed: {failed:?}");
    assert!(ok >= 10, "only {ok} normal requests in {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_idle_connections_leave_others_served_and_are_closed_when_idle() {
    let db = common::empty_db().await;
    let srv = common::serve_with(db.pool.clone(), |_| {}, &limits(30, 2, 1024)).await;
    let opened = Instant::now();
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(srv.addr).await.unwrap());
    }
    // a kept-alive connection that made one request
    let mut kept = TcpStream::connect(srv.addr).await.unwrap();
    kept.write_all(HEALTH).await.unwrap();
    assert_eq!(read_response(&mut kept).await, 200);
    let kept_at = Instant::now();

    // meanwhile normal requests are answered, promptly
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let t = Instant::now();
        let r = client.get(srv.url("/health")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        slowest = slowest.max(t.elapsed());
    }
    assert!(
        slowest < Duration::from_secs(1),
        "slowest request {slowest:?}"
    );
    let served_within = opened.elapsed();
    assert!(
        served_within < Duration::from_millis(1800),
        "test too slow to observe the connections open: {served_within:?}"
    );

    // the idle ones are closed after the idle timeout (2 s), not the header timeout (30 s)
    let mut closed_after = Vec::new();
    for s in idle.iter_mut() {
        read_to_close(s, Duration::from_secs(6))
            .await
            .expect("an idle connection was not closed");
        closed_after.push(opened.elapsed());
    }
    let last = *closed_after.iter().max().unwrap();
    let first = *closed_after.iter().min().unwrap();
    read_to_close(&mut kept, Duration::from_secs(6))
        .await
        .expect("the idle keep-alive connection was not closed");
    let kept_closed = kept_at.elapsed();
    println!(
        "300 idle connections; 20 requests meanwhile, slowest {slowest:?}; idle ones closed after \
         {first:?}..{last:?}; keep-alive closed {kept_closed:?} after its response"
    );
    assert!(
        first >= Duration::from_millis(1500),
        "closed too early: {first:?}"
    );
    assert!(last <= Duration::from_secs(5), "closed too late: {last:?}");
    assert!(
        kept_closed >= Duration::from_millis(1500) && kept_closed <= Duration::from_secs(5),
        "keep-alive connection closed after {kept_closed:?}"
    );
    assert_eq!(srv.get("/health").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_cap_holds_new_clients_until_a_slot_frees() {
    let db = common::empty_db().await;
    let srv = common::serve_with(db.pool.clone(), |_| {}, &limits(30, 30, 8)).await;
    // eight kept-alive connections, each served once: all the slots
    let mut held = Vec::new();
    for _ in 0..8 {
        let mut s = TcpStream::connect(srv.addr).await.unwrap();
        s.write_all(HEALTH).await.unwrap();
        assert_eq!(
            timeout(Duration::from_secs(5), read_response(&mut s))
                .await
                .unwrap(),
            200
        );
        held.push(s);
    }
    // the ninth connects (listen backlog) but is not served
    let mut ninth = TcpStream::connect(srv.addr).await.unwrap();
    ninth
        .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 64];
    assert!(
        timeout(Duration::from_millis(1500), ninth.read(&mut buf))
            .await
            .is_err(),
        "the ninth connection was served while eight were open"
    );
    // one closes: the ninth is served
    drop(held.pop());
    let freed = Instant::now();
    let answer = read_to_close(&mut ninth, Duration::from_secs(5))
        .await
        .expect("the ninth connection was not served after a slot freed");
    let waited = freed.elapsed();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200"), "answer: {text}");
    println!("the ninth connection was served {waited:?} after a slot freed");
    assert!(waited < Duration::from_secs(2), "served {waited:?} after");
    drop(held);
    // the server is still up
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    for _ in 0..3 {
        let r = client.get(srv.url("/health")).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, Option<String>, Value) {
    let mut req = client
        .post(url)
        .header("content-type", "application/geo+json")
        .body("{}");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (status, retry, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_writes_are_rate_limited_per_ip() {
    let db = common::empty_db().await;
    let rate = RateLimit {
        per_minute: 60,
        burst: 3,
    };
    let srv = common::serve_with(
        db.pool.clone(),
        |s| {
            s.rate_limit = rate;
            s.trust_forwarded_for = true;
        },
        &ConnLimits::default(),
    )
    .await;
    let client = reqwest::Client::new();
    let items = srv.url("/collections/projects/items");

    // the burst passes the limiter (and is refused by the handler: anonymous callers cannot write)
    for i in 0..3 {
        let (status, retry, _) = post(&client, &items, &[]).await;
        assert_eq!((status, retry), (401, None), "write {i}");
    }
    let (status, retry, body) = post(&client, &items, &[]).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(retry.as_deref(), Some("1"));
    assert_eq!(body["code"], "TooManyRequests");
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("retry in 1 s"),
        "{body}"
    );
    // reads are not limited
    for _ in 0..5 {
        assert_eq!(
            srv.get("/collections/projects/items?limit=1")
                .await
                .status(),
            200
        );
    }
    // another address (the proxy's right-most X-Forwarded-For hop) has its own bucket
    let (status, _, _) = post(
        &client,
        &items,
        &[("x-forwarded-for", "127.0.0.1, 203.0.113.5")],
    )
    .await;
    assert_eq!(status, 401);
    // a key holder is not limited
    let key = common::key(&db, "admin", &[], None).await;
    let bearer = format!("Bearer {key}");
    for i in 0..8 {
        let (status, _, body) = post(&client, &items, &[("authorization", &bearer)]).await;
        assert!(
            status != 429 && status != 401,
            "key holder write {i}: {status} {body}"
        );
    }
    // a bad key gets its 401 (it can write nothing), limited or not
    let (status, _, _) = post(&client, &items, &[("x-api-key", "mk_nope_nope")]).await;
    assert_eq!(status, 401);
    // after Retry-After the address may write again
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, _, _) = post(&client, &items, &[]).await;
    assert_eq!(status, 401);
    let (status, _, _) = post(&client, &items, &[]).await;
    assert_eq!(status, 429);

    let metrics = srv.text("/metrics").await;
    assert!(
        metrics.contains("mokhattat_rate_limited_total{route=\"/collections/"),
        "no refusal counter in /metrics"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_is_ignored_unless_trusted() {
    let db = common::empty_db().await;
    let srv = common::serve_rate_limited(db.pool.clone(), 1, 1).await;
    let client = reqwest::Client::new();
    let items = srv.url("/collections/projects/items");
    assert_eq!(post(&client, &items, &[]).await.0, 401);
    let (status, retry, _) = post(&client, &items, &[("x-forwarded-for", "203.0.113.5")]).await;
    assert_eq!(status, 429, "a client chose its own address");
    let retry: u64 = retry.unwrap().parse().unwrap();
    assert!((55..=60).contains(&retry), "Retry-After {retry}");
}

/// The binary reads the flags and serves through the same loop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_applies_the_flags() {
    let db = common::empty_db().await;
    let srv = common::ServerProcess::start(
        &[
            "--no-sample",
            "--header-read-timeout",
            "1",
            "--rate-limit-per-minute",
            "1",
            "--rate-limit-burst",
            "1",
        ],
        &[("DATABASE_URL", db.url.as_str())],
        Duration::from_secs(120),
    )
    .await;
    let addr: SocketAddr = format!("127.0.0.1:{}", srv.port).parse().unwrap();
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
    let t = Instant::now();
    read_to_close(&mut slow, Duration::from_secs(5))
        .await
        .expect("the binary kept a slow client");
    let closed = t.elapsed();
    assert!(closed < Duration::from_secs(3), "closed after {closed:?}");

    let client = reqwest::Client::new();
    let items = srv.url("/collections/projects/items");
    assert_eq!(post(&client, &items, &[]).await.0, 401);
    assert_eq!(post(&client, &items, &[]).await.0, 429);
    println!("binary: slow client closed after {closed:?}");
}

/// The loop on its own (no database): the peer address reaches handlers, and a shutdown lets the
/// request in flight finish, closes kept-alive connections and stops accepting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_in_flight_requests_finish() {
    use axum::{extract::ConnectInfo, routing::get, Router};
    let app = Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(1500)).await;
                "done"
            }),
        )
        .route(
            "/peer",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        mokhattat::web::server::run(listener, app, &limits(30, 30, 16), async {
            let _ = stop_rx.await;
        })
        .await
    });

    let mut peer = TcpStream::connect(addr).await.unwrap();
    let local = peer.local_addr().unwrap();
    peer.write_all(b"GET /peer HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(
        read_response_body(&mut peer).await,
        (200, local.to_string()),
        "the handler saw the TCP peer"
    );
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped = Instant::now();
    stop_tx.send(()).unwrap();
    // the kept-alive connection (which told us its address) closes at once
    let said = read_to_close(&mut peer, Duration::from_secs(1))
        .await
        .expect("the kept-alive connection stayed open after shutdown");
    assert!(said.is_empty());
    // the request in flight completes
    let answer = read_to_close(&mut slow, Duration::from_secs(5))
        .await
        .expect("the slow request was not finished");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.ends_with("done"), "{text}");
    timeout(Duration::from_secs(2), server)
        .await
        .expect("run() did not return once the connections closed")
        .unwrap()
        .unwrap();
    let took = stopped.elapsed();
    println!("shutdown: in-flight request finished, run() returned after {took:?}");
    assert!(
        took >= Duration::from_millis(1000),
        "returned before the request finished: {took:?}"
    );
    assert!(TcpStream::connect(addr).await.is_err(), "still accepting");
}
