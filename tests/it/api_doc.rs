//! The OpenAPI document (`/api`) covers the whole server: every route the router serves is
//! documented, and every documented operation is served.
//!
//! How routes are enumerated: axum has no public route listing, so the test reads the source that
//! builds the router — every row `"<path>" => <method>(…).<method>(…),` of a `route_table!`
//! (`src/routes.rs`) and every `.route("<path>", <method>(…))` call under `src/`. That
//! list cannot drift from the router (it *is* the router's text), and the test refuses the two ways
//! it could miss a route: a `.route(` whose path is not a string literal, and any `.nest(` or
//! `.route_service(` (which this parser does not follow). The other direction is probed: every
//! documented operation, with its path parameters' examples, must reach a handler (not the 404
//! fallback, not a 405) on a real server over the sample database.
use crate::common;

use std::collections::BTreeSet;

use serde_json::{json, Value};

const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "options", "head"];
const FALLBACK: &str = "no such resource; see / for what this server offers";

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text of the call starting at `open` (the index of its `(`), up to the matching `)`.
fn call_args(code: &str, open: usize) -> &str {
    let mut depth = 0;
    for (i, ch) in code[open..].char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &code[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced .route( call");
}

/// The methods of a method router expression such as `get(a).post(b)`.
fn methods_of(expr: &str) -> Vec<String> {
    let bytes = expr.as_bytes();
    let mut found = Vec::new();
    for m in METHODS {
        let mut from = 0;
        while let Some(i) = expr[from..].find(&format!("{m}(")) {
            let at = from + i;
            let before = if at == 0 { b'.' } else { bytes[at - 1] };
            if before == b'.' || before.is_ascii_whitespace() || before == b',' {
                found.push(m.to_string());
            }
            from = at + m.len();
        }
    }
    found
}

/// The end of the delimited group opening at `open` (`(`, `[` or `{`), past its closing one.
fn group_end(code: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, ch) in code[open..].char_indices() {
        match ch {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i + 1;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced group");
}

/// The rows of the `route_table!` whose body starts at `open`: (path, method router expression).
fn table_rows(code: &str, open: usize) -> Vec<(String, String)> {
    let body = &code[open + 1..group_end(code, open) - 1];
    let mut rows = Vec::new();
    let mut rest = body.trim_start();
    while !rest.is_empty() {
        assert!(
            rest.starts_with('"'),
            "a route_table! row without a literal path: {rest}"
        );
        let end = rest[1..].find('"').unwrap() + 1;
        let path = rest[1..end].to_string();
        let after = rest[end + 1..].trim_start();
        let after = after
            .strip_prefix("=>")
            .expect("a route_table! row is \"path\" => methods");
        let mut depth = 0;
        let stop = after
            .char_indices()
            .find(|&(_, ch)| {
                match ch {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                ch == ',' && depth == 0
            })
            .map_or(after.len(), |(i, _)| i);
        rows.push((path, after[..stop].trim().to_string()));
        rest = after[(stop + 1).min(after.len())..].trim_start();
    }
    rows
}

/// Every (method, path) the router registers, read from `src/`.
fn routes() -> BTreeSet<(String, String)> {
    let mut files = Vec::new();
    rust_files(&common::root().join("src"), &mut files);
    let mut out = BTreeSet::new();
    let mut add = |f: &std::path::Path, path: &str, expr: &str| {
        let methods = methods_of(expr);
        assert!(
            !methods.is_empty(),
            "{}: no method found for {path}",
            f.display()
        );
        for m in methods {
            out.insert((m, path.to_string()));
        }
    };
    for f in files {
        let code = std::fs::read_to_string(&f).unwrap();
        for bad in [".nest(", ".nest_service(", ".route_service("] {
            assert!(
                !code.contains(bad),
                "{}: {bad} is not followed by this test: extend it",
                f.display()
            );
        }
        // the table macro's own definition routes `$path`: its uses are read below
        let code = match code.find("macro_rules! route_table") {
            Some(at) => {
                code[..at].to_string()
                    + &code[group_end(&code, at + code[at..].find('{').unwrap())..]
            }
            None => code,
        };
        for (at, _) in code.match_indices("route_table!") {
            let open = at + code[at..].find(['{', '(', '[']).unwrap();
            for (path, expr) in table_rows(&code, open) {
                add(&f, &path, &expr);
            }
        }
        for (at, _) in code.match_indices(".route(") {
            let args = call_args(&code, at + ".route".len());
            let args = args.trim_start();
            assert!(
                args.starts_with('"'),
                "{}: a .route( without a literal path: {args}",
                f.display()
            );
            let end = args[1..].find('"').unwrap() + 1;
            add(&f, &args[1..end], &args[end + 1..]);
        }
    }
    out
}

/// A router path matches a documented path when each segment is equal, or the router's is a
/// `{parameter}` (matching a documented parameter or a literal such as a collection id).
fn matches(router: &str, doc: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (router.split('/').collect(), doc.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(r, d)| r == d || (r.starts_with('{') && r.ends_with('}')))
}

fn documented(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for m in ops.as_object().unwrap().keys() {
            if METHODS.contains(&m.as_str()) {
                out.push((m.clone(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn the_route_reader_finds_the_routes_it_must() {
    let r = routes();
    for (m, p) in [
        ("get", "/health"),
        ("post", "/api/keys"),
        ("delete", "/api/keys/{prefix}"),
        ("options", "/collections/{id}/items/{fid}"),
        ("patch", "/api/participation/plans/{id}"),
        ("get", "/fonts/{stack}/{range}"),
    ] {
        assert!(
            r.contains(&(m.to_string(), p.to_string())),
            "{m} {p} not read: {r:?}"
        );
    }
    assert!(r.len() > 70, "{}", r.len());
    assert_eq!(
        methods_of("get(a::b).post(c)\n .options(write::options_items)"),
        ["get", "post", "options"]
    );
    let table = "route_table! {\n \"/a\" => get(x::a).post(x::b),\n \"/b/{id}\" => put(y),\n }";
    assert_eq!(
        table_rows(table, table.find('{').unwrap()),
        [
            ("/a".to_string(), "get(x::a).post(x::b)".to_string()),
            ("/b/{id}".to_string(), "put(y)".to_string()),
        ]
    );
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_operation_is_served() {
    let (_db, srv, admin) = common::sample_server_with_admin().await;
    let (status, doc) = srv.get_json("/api").await;
    assert_eq!(status, 200);
    let doc_ops = documented(&doc);
    let missing: Vec<_> = routes()
        .into_iter()
        .filter(|(m, p)| !doc_ops.iter().any(|(dm, dp)| dm == m && matches(p, dp)))
        .collect();
    assert!(missing.is_empty(), "routes missing from /api: {missing:?}");
    let router = routes();
    let mut unserved = Vec::new();
    for (m, p) in &doc_ops {
        assert!(
            router.iter().any(|(rm, rp)| rm == m && matches(rp, p)),
            "{m} {p} is documented but no route serves it"
        );
        let op = &doc["paths"][p][m];
        let mut url = p.clone();
        for param in op["parameters"].as_array().into_iter().flatten() {
            if param["in"] == "path" {
                let name = param["name"].as_str().unwrap();
                let ex = &param["example"];
                assert!(
                    !ex.is_null(),
                    "{m} {p}: path parameter {name} has no example"
                );
                let ex = ex
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| ex.to_string());
                url = url.replace(&format!("{{{name}}}"), &common::enc(&ex));
            }
        }
        assert!(
            !url.contains('{'),
            "{m} {p}: a path parameter is not declared: {url}"
        );
        let method = reqwest::Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
        let mut req = srv
            .client
            .request(method, srv.url(&url))
            .bearer_auth(&admin);
        if !op["requestBody"].is_null() {
            req = req.json(&json!({}));
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap_or_default();
        if status == 405 && body.is_empty() || status == 404 && body.contains(FALLBACK) {
            unserved.push(format!("{m} {url}: {status} {body}"));
        }
    }
    assert!(
        unserved.is_empty(),
        "documented but not served: {unserved:#?}"
    );
}

#[tokio::test]
async fn the_document_declares_the_three_ways_to_send_a_key() {
    let (_db, srv) = common::sample_server().await;
    let (_, doc) = srv.get_json("/api").await;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["apiKeyHeader"]["name"], "X-API-Key");
    assert_eq!(schemes["apiKeyHeader"]["in"], "header");
    assert_eq!(schemes["apiKeyQuery"]["name"], "api_key");
    assert_eq!(schemes["apiKeyQuery"]["in"], "query");
    let required = |op: &Value| {
        op["security"].as_array().is_some_and(|a| {
            !a.is_empty()
                && a.iter()
                    .all(|s| s.as_object().is_some_and(|o| !o.is_empty()))
        })
    };
    assert!(
        required(&doc["paths"]["/api/keys"]["post"]),
        "{}",
        doc["paths"]["/api/keys"]["post"]
    );
    assert!(required(
        &doc["paths"]["/api/projects/{code}/status"]["post"]
    ));
    assert!(required(
        &doc["paths"]["/collections/projects/items"]["post"]
    ));
    assert!(
        !required(&doc["paths"]["/collections"]["get"]),
        "reads take the document's optional key"
    );
    assert!(common::items(&doc["security"]).any(|s| s == &json!({})));
}
