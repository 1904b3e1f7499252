//! Hostile input is harmless: deeply nested filters, NUL bytes, empty geometries, oversized values
//! and bodies get a 4xx that names the problem, the database is unchanged and the server keeps
//! answering; keys never reach the log; the anonymous cache cannot be entered with an encoded key.
use crate::common;

use std::time::Duration;

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use common::{enc, status_and_body};

/// Deep filters of every shape the CQL2 grammars recurse on.
fn deep_filters(levels: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "cql2-text",
            format!(
                "{}status='planned'{}",
                "(".repeat(levels),
                ")".repeat(levels)
            ),
        ),
        (
            "cql2-text",
            format!("{}status='planned'", "NOT ".repeat(levels)),
        ),
        (
            "cql2-text",
            format!("budget_tnd > {}2", "2^".repeat(levels)),
        ),
        (
            "cql2-json",
            format!(
                "{}{{\"op\":\"=\",\"args\":[{{\"property\":\"status\"}},\"planned\"]}}{}",
                "{\"op\":\"not\",\"args\":[".repeat(levels),
                "]}".repeat(levels)
            ),
        ),
        (
            "cql2-json",
            format!("{}1{}", "[".repeat(levels), "]".repeat(levels)),
        ),
    ]
}

/// POST `body` with `Transfer-Encoding: chunked`; the status and the JSON body of the answer.
async fn chunked_post(
    addr: std::net::SocketAddr,
    path: &str,
    key: &str,
    body: &[u8],
) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/geo+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    for c in body.chunks(64 * 1024) {
        let mut chunk = format!("{:x}\r\n", c.len()).into_bytes();
        chunk.extend_from_slice(c);
        chunk.extend_from_slice(b"\r\n");
        // the server may answer and close before everything is sent
        if sock.write_all(&chunk).await.is_err() {
            break;
        }
    }
    let _ = sock.write_all(b"0\r\n\r\n").await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), sock.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let json = text
        .find("\r\n\r\n")
        .and_then(|i| {
            let rest = &text[i + 4..];
            // the body may itself be chunked: take the JSON object in it
            let (a, b) = (rest.find('{')?, rest.rfind('}')?);
            serde_json::from_str(&rest[a..=b]).ok()
        })
        .unwrap_or_else(|| Value::String(text.chars().take(800).collect()));
    (status, json)
}

#[tokio::test]
async fn deeply_nested_filters_are_refused_and_the_server_stays_up() {
    let (_db, srv) = common::sample_server().await;
    // 10,000 levels (refused by length), and depths the length limit lets through
    for levels in [10_000, 2_000, 600, 100, 65] {
        for (lang, f) in deep_filters(levels) {
            for path in [
                format!(
                    "/collections/projects/items?filter-lang={lang}&filter={}",
                    enc(&f)
                ),
                format!(
                    "/tiles/projects/10/540/401.pbf?filter-lang={lang}&filter={}",
                    enc(&f)
                ),
            ] {
                // beyond what an HTTP client may put in a URI (64 KiB)
                if path.len() > 65_000 {
                    continue;
                }
                let (s, body) = status_and_body(srv.get(&path).await).await;
                let d = body["description"].as_str().unwrap_or("");
                assert_eq!(s, 400, "{levels} levels, {lang}: {s} {body}");
                assert!(
                    d.contains("at most") || d.contains("does not parse"),
                    "{levels} levels: the message names the limit: {d}"
                );
            }
        }
        let (s, _) = srv.get_json("/health").await;
        assert_eq!(s, 200, "still healthy after {levels} levels");
    }
    // a mistake inside nested parentheses makes the grammar backtrack 2^n times: bounded work
    for n in [17, 30, 60] {
        for f in [
            format!("{}status='planned'", "(".repeat(n)),
            format!("{}status= {}", "(".repeat(n), ")".repeat(n)),
        ] {
            let t = std::time::Instant::now();
            let (s, body) = srv
                .get_json(&format!("/collections/projects/items?filter={}", enc(&f)))
                .await;
            assert_eq!(s, 400, "{n}: {body}");
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "{n} levels took {:?}",
                t.elapsed()
            );
            assert!(
                body["description"]
                    .as_str()
                    .unwrap_or("")
                    .contains("at most"),
                "{body}"
            );
        }
    }
    // a run of signs is read without recursion: answered (or refused by length), never a crash
    for n in [60, 2_000, 9_000] {
        let f = format!("budget_tnd > {}2", "-".repeat(n));
        let (s, _) = srv
            .get_json(&format!("/collections/projects/items?filter={}", enc(&f)))
            .await;
        assert!(s == 200 || s == 400, "{n} signs: {s}");
    }
    // a legitimate filter with some nesting still works
    let ok = "((status='planned' OR status='ongoing') AND NOT (budget_tnd < 0))";
    let (s, body) = srv
        .get_json(&format!("/collections/projects/items?filter={}", enc(ok)))
        .await;
    assert_eq!(s, 200, "{body}");
}

/// Requests that used to answer 500: each is now a 4xx with a message.
#[tokio::test]
async fn client_mistakes_are_4xx_with_a_message() {
    let (db, srv, admin) = common::sample_server_with_admin().await;
    let before: i64 = db.scalar("SELECT count(*) FROM project", ()).await;
    for path in [
        "/api/units/municipality/11%0011",
        "/api/units/municipality/1111/diagnosis?f=%00",
        "/api/units/municipality/11%00/diagnosis",
        "/api/projects/P%0048825/context",
        "/api/projects/P%0048825/history",
        "/api/projects/P%0048825/assignments",
        "/collections/conformity/items?verdict=%00",
        "/collections/projects/items?code=%00",
        "/collections/projects/items/%00",
        "/api/units?q=a%00b",
        "/api/keys/%00",
        "/tiles/projects/10/540/401.pbf?status=%00",
        "/collections/municipalities/items?name_fr=%FF",
    ] {
        let r = srv.get_as(path, &admin).await;
        let (s, body) = status_and_body(r).await;
        assert!((400..500).contains(&s), "{path}: {s} {body}");
        assert!(
            body["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{path}: {body}"
        );
    }
    let long = "1".repeat(20_000);
    for path in [
        format!("/api/units/municipality/{long}"),
        format!("/collections/municipalities/items?code={long}"),
        format!("/api/projects/{long}/context"),
    ] {
        let (s, body) = srv.get_json(&path).await;
        // a code nobody has is an empty page or a 404, never a server error
        assert!(s < 500, "{}: {s}", &path[..40]);
        assert!(
            body["description"].as_str().unwrap_or("").chars().count() < 2100,
            "an error does not echo a 20,000-character input whole"
        );
    }

    let feature = |geometry: Value, props: Value| json!({"type": "Feature", "geometry": geometry, "properties": props});
    let point = json!({"type": "Point", "coordinates": [10.18, 36.80]});
    let props = json!({"code": "HOSTILE-1", "title_fr": "t", "status": "planned"});
    type Case<'a> = (&'a str, Value, Vec<(&'a str, &'a str)>);
    let bodies: Vec<Case> = vec![
        (
            "empty point",
            feature(json!({"type":"Point","coordinates":[]}), props.clone()),
            vec![],
        ),
        (
            "empty multipolygon",
            feature(
                json!({"type":"MultiPolygon","coordinates":[]}),
                props.clone(),
            ),
            vec![],
        ),
        (
            "empty collection",
            feature(
                json!({"type":"GeometryCollection","geometries":[]}),
                props.clone(),
            ),
            vec![],
        ),
        (
            "ring of 2",
            feature(
                json!({"type":"Polygon","coordinates":[[[10.1,36.8],[10.2,36.8]]]}),
                props.clone(),
            ),
            vec![],
        ),
        (
            "20,000-char code",
            feature(point.clone(), json!({"code": long, "status": "planned"})),
            vec![],
        ),
        (
            "20,000-char title",
            feature(
                point.clone(),
                json!({"code": "HOSTILE-2", "title_fr": "t".repeat(20_000)}),
            ),
            vec![],
        ),
        (
            "NaN budget",
            feature(
                point.clone(),
                json!({"code": "HOSTILE-3", "budget_tnd": "NaN"}),
            ),
            vec![],
        ),
        (
            "Infinity budget",
            feature(
                point.clone(),
                json!({"code": "HOSTILE-4", "budget_tnd": "Infinity"}),
            ),
            vec![],
        ),
        (
            "empty Content-Crs",
            feature(point.clone(), props.clone()),
            vec![("content-crs", "")],
        ),
        (
            "unknown Content-Crs",
            feature(point.clone(), props.clone()),
            vec![("content-crs", "<urn:nope>")],
        ),
    ];
    for (what, body, headers) in bodies {
        let mut rq = srv
            .client
            .post(srv.url("/collections/projects/items"))
            .bearer_auth(&admin)
            .header("content-type", "application/geo+json")
            .body(body.to_string());
        for (k, v) in headers {
            rq = rq.header(k, v);
        }
        let (s, b) = status_and_body(rq.send().await.unwrap()).await;
        assert!((400..500).contains(&s), "{what}: {s} {b}");
        assert!(
            b["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{what}: {b}"
        );
    }
    // a non-ASCII Content-Crs (raw bytes in the header)
    let r = srv
        .client
        .post(srv.url("/collections/projects/items"))
        .bearer_auth(&admin)
        .header("content-type", "application/geo+json")
        .header(
            "content-crs",
            reqwest::header::HeaderValue::from_bytes(b"<http://\xe9>").unwrap(),
        )
        .body(feature(point.clone(), props.clone()).to_string())
        .send()
        .await
        .unwrap();
    let (s, b) = status_and_body(r).await;
    assert_eq!(s, 400, "{b}");
    assert!(b["description"].as_str().unwrap().contains("ASCII"), "{b}");

    // bodies: over the documented 4 MiB limit is a JSON 413 (with and without Content-Length)
    let big = vec![b'x'; 5 * 1024 * 1024];
    let r = srv
        .client
        .post(srv.url("/collections/projects/items"))
        .bearer_auth(&admin)
        .header("content-type", "application/geo+json")
        .body(big.clone())
        .send()
        .await;
    // (the server answers before reading the body and closes: the client may lose the body)
    if let Ok(r) = r {
        let (s, b) = status_and_body(r).await;
        assert_eq!(s, 413, "{b}");
        assert!(b.is_null() || b["code"] == "PayloadTooLarge", "{b}");
    }
    // chunked, so no Content-Length announces it: sent over a raw socket
    let (s, b) = chunked_post(srv.addr, "/collections/projects/items", &admin, &big).await;
    assert_eq!(s, 413, "chunked: {b}");
    assert_eq!(b["code"], "PayloadTooLarge", "{b}");
    // just under the limit reaches the handler (which says what is wrong with it)
    let r = srv
        .client
        .post(srv.url("/collections/projects/items"))
        .bearer_auth(&admin)
        .header("content-type", "application/geo+json")
        .body(vec![b' '; 3 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a 3 MiB body is under the 4 MiB limit");
    // deep JSON bodies, wrong media type, wrong method
    for (ct, body, want) in [
        ("application/geo+json", "[".repeat(100_000), 400u16),
        (
            "application/geo+json",
            format!("{}1{}", "{\"a\":".repeat(5000), "}".repeat(5000)),
            400,
        ),
        (
            "text/plain",
            feature(point.clone(), props.clone()).to_string(),
            415,
        ),
    ] {
        let r = srv
            .client
            .post(srv.url("/collections/projects/items"))
            .bearer_auth(&admin)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        let (s, b) = status_and_body(r).await;
        assert_eq!(s, want, "{ct}: {b}");
    }
    let r = srv
        .client
        .request(Method::DELETE, srv.url("/collections"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.headers().contains_key("allow"));
    let (_, b) = status_and_body(r).await;
    assert_eq!(b["code"], "MethodNotAllowed");
    // a partner name longer than project.partner can hold
    let r = srv
        .client
        .post(srv.url("/api/keys"))
        .bearer_auth(&admin)
        .json(&json!({"name": "x", "role": "partner", "partner": "p".repeat(30_000)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let after: i64 = db.scalar("SELECT count(*) FROM project", ()).await;
    assert_eq!(before, after, "nothing was written");
    let (s, _) = srv.get_json("/health").await;
    assert_eq!(s, 200);
}

/// Keys never appear in the log, however they are sent; an encoded `api_key` is a key for the
/// cache as for authentication; a revoked key is refused on every path.
#[tokio::test]
async fn keys_stay_secret_and_revoked_keys_are_refused_everywhere() {
    let db = common::sample_db().await;
    db.exec(
        "UPDATE project SET is_public = false WHERE code = 'P048825'",
        (),
    )
    .await;
    let partner = common::key(&db, "partner", &[], Some("world-bank")).await;
    let server = common::ServerProcess::start(
        &["--no-sample"],
        &[
            ("DATABASE_URL", db.url.as_str()),
            ("RUST_LOG", "debug,sqlx=debug,hyper=info,h2=info,tower=info"),
        ],
        Duration::from_secs(120),
    )
    .await;
    let client = Client::new();
    let get = |path: String| {
        let c = client.clone();
        async move { c.get(path).send().await.unwrap() }
    };
    let items = |q: &str| {
        server.url(&format!(
            "/collections/projects/items?code=P048825&limit=5{q}"
        ))
    };
    let count = |v: &Value| v["features"].as_array().map(Vec::len).unwrap_or(0);

    // anonymous: the non-public project is not there; the answer is cached
    for _ in 0..2 {
        let v: Value = get(items("")).await.json().await.unwrap();
        assert_eq!(count(&v), 0);
    }
    // the key with its name percent-encoded authenticates and bypasses the anonymous cache
    for q in [
        format!("&api_key={partner}"),
        format!("&api_k%65y={partner}"),
        format!("&%61pi_key={}", enc(&partner)),
    ] {
        let r = get(items(&q)).await;
        assert_eq!(r.status(), 200, "{q}");
        let v: Value = r.json().await.unwrap();
        assert!(
            count(&v) > 0,
            "{q}: the partner sees its own non-public project"
        );
        let v: Value = get(items("")).await.json().await.unwrap();
        assert_eq!(
            count(&v),
            0,
            "{q}: the anonymous answer did not take the key's"
        );
    }
    // other paths, each way of sending a key, with a bogus key too
    let paths = [
        "/collections/projects/items?limit=1".to_string(),
        "/collections/projects/items/1".to_string(),
        "/tiles/projects/10/540/401.pbf".to_string(),
        "/api/projects/P048825/context".to_string(),
        "/api/whoami".to_string(),
        "/api/indicators?level=governorate".to_string(),
        "/no/such/path".to_string(),
    ];
    let bogus = format!("mk_abcdefgh_{}", "Z".repeat(43));
    for p in &paths {
        let sep = if p.contains('?') { '&' } else { '?' };
        for k in [&partner, &bogus] {
            get(server.url(&format!("{p}{sep}api_key={k}"))).await;
            get(server.url(&format!("{p}{sep}api_k%65y={k}"))).await;
            client
                .get(server.url(p))
                .header("x-api-key", k.as_str())
                .send()
                .await
                .unwrap();
            client
                .get(server.url(p))
                .bearer_auth(k)
                .send()
                .await
                .unwrap();
        }
    }
    // revoke: every path and every way of sending it is now 401, cached answers included
    mokhattat::auth::store::revoke(&db.pool, &partner[3..11])
        .await
        .expect("revoke");
    for p in paths.iter().filter(|p| !p.starts_with("/no/")) {
        let sep = if p.contains('?') { '&' } else { '?' };
        for url in [
            server.url(&format!("{p}{sep}api_key={partner}")),
            server.url(&format!("{p}{sep}api_k%65y={partner}")),
        ] {
            let r = get(url.clone()).await;
            assert_eq!(r.status(), 401, "{url}");
        }
        let r = client
            .get(server.url(p))
            .bearer_auth(&partner)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{p} with a bearer revoked key");
        let r = client
            .get(server.url(p))
            .header("x-api-key", partner.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{p} with X-API-Key revoked");
    }
    let r = get(items(&format!("&api_k%65y={partner}"))).await;
    assert_eq!(
        r.status(),
        401,
        "a revoked key is not served from the cache"
    );

    let log = server.log_text();
    assert!(
        log.contains("/collections/projects/items"),
        "the log records requests"
    );
    assert!(
        log.contains("api_key=***"),
        "keys are replaced by *** in logged URIs"
    );
    for secret in [&partner[12..], &bogus[12..]] {
        assert!(
            !log.contains(secret),
            "a key's secret appears in the log:\n{}",
            log.lines()
                .filter(|l| l.contains(secret))
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
