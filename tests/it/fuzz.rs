//! Fuzzing harness: generated CQL2 text and JSON filters, GeoJSON bodies, tile paths and query
//! strings sent to the real application (the router the server runs, over a real sample
//! database). Any 5xx, panic or process abort fails it. Cases are drawn by proptest from a fixed
//! seed (set `MOKHATTAT_FUZZ_SEED` to explore others) and bounded in number and time; the counts
//! and the cases per second are printed.
use crate::common;

use std::time::{Duration, Instant};

use axum::{body::Body, http::Request, Router};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use tower::ServiceExt;

/// Cases per family (CI keeps it modest; raise with MOKHATTAT_FUZZ_CASES).
fn cases() -> usize {
    std::env::var("MOKHATTAT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

fn runner() -> TestRunner {
    let seed: u64 = std::env::var("MOKHATTAT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261201);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

use common::enc;

const PROPS: &[&str] = &[
    "status",
    "budget_tnd",
    "theme",
    "code",
    "name_fr",
    "population",
    "planned_start",
    "geometry",
    "id",
    "is_public",
    "unknown_prop",
    "\"quoted id\"",
    "beneficiaries",
];
const VALUES: &[&str] = &[
    "'planned'",
    "1e6",
    "-3",
    "0",
    "'%'",
    "''",
    "'a''b'",
    "NULL",
    "TRUE",
    "DATE('2020-01-01')",
    "TIMESTAMP('2020-01-01T00:00:00Z')",
    "DATE('2020-13-45')",
    "1e400",
    "NaN",
    "'\u{0627}\u{0644}'",
    "POINT(10 36)",
    "POLYGON((10 36, 11 36, 11 37, 10 36))",
    "POLYGON((10 36))",
    "POINT EMPTY",
    "LINESTRING(1 2)",
    "BBOX(9,33,11,37)",
    "(1,2,3)",
];
const JUNK: &[&str] = &[
    "(",
    ")",
    "'",
    "\"",
    ",",
    " AND ",
    " OR ",
    "NOT ",
    "=",
    "<>",
    " LIKE ",
    " IN ",
    "^",
    "-",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "\u{0}",
    "%",
    "*",
    "..",
    " BETWEEN ",
    "S_INTERSECTS(",
    "CASEI(",
    "ACCENTI(",
];

/// CQL2 text: well-formed expressions (nested by proptest's recursion) with random junk spliced in.
fn cql2_text() -> impl Strategy<Value = String> {
    let leaf = (
        prop::sample::select(PROPS),
        prop::sample::select(
            &[
                "=",
                "<>",
                "<",
                ">=",
                " LIKE ",
                " IS NULL",
                " IN ",
                " BETWEEN 1 AND ",
            ][..],
        ),
        prop::sample::select(VALUES),
    )
        .prop_map(|(p, op, v)| match op {
            " IS NULL" => format!("{p} IS NULL"),
            " IN " => format!("{p} IN ({v}, {v})"),
            _ => format!("{p}{op}{v}"),
        });
    let spatial = (
        prop::sample::select(
            &[
                "S_INTERSECTS",
                "S_WITHIN",
                "S_CONTAINS",
                "S_DISJOINT",
                "S_FOO",
            ][..],
        ),
        prop::sample::select(VALUES),
    )
        .prop_map(|(f, v)| format!("{f}(geometry, {v})"));
    // well-typed comparisons on projects' queryables, so that many filters reach the database
    let typed = prop_oneof![
        (
            prop::sample::select(&["status", "theme", "code", "partner"][..]),
            prop::sample::select(&["=", "<>", " LIKE "][..]),
            prop::sample::select(
                &[
                    "'planned'",
                    "'completed'",
                    "'ongoing'",
                    "'P%'",
                    "'%a%'",
                    "'\u{0627}'"
                ][..]
            )
        )
            .prop_map(|(p, o, v)| format!("{p}{o}{v}")),
        (
            prop::sample::select(&["budget_tnd", "beneficiaries"][..]),
            prop::sample::select(&["=", "<", ">=", "<>"][..]),
            -1e9f64..1e10
        )
            .prop_map(|(p, o, v)| format!("{p}{o}{v}")),
        (
            prop::sample::select(&["planned_start", "planned_end"][..]),
            prop::sample::select(&["<", ">="][..]),
            1990i32..2030
        )
            .prop_map(|(p, o, y)| format!("{p}{o}DATE('{y}-01-01')")),
        (9.0f64..11.0, 33.0f64..37.0, 0.01f64..2.0).prop_map(|(x, y, d)| format!(
            "S_INTERSECTS(geometry, BBOX({x},{y},{},{}))",
            x + d,
            y + d
        )),
    ];
    let atom = prop_oneof![3 => typed, 3 => leaf, 1 => spatial];
    let tree = atom.prop_recursive(6, 64, 3, |inner| {
        prop_oneof![
            4 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} AND {b})")),
            4 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} OR {b}")),
            2 => inner.clone().prop_map(|a| format!("NOT ({a})")),
            2 => (inner.clone(), 1usize..4).prop_map(|(a, n)| format!("{}{a}{}", "(".repeat(n), ")".repeat(n))),
            2 => (inner, 1usize..3).prop_map(|(a, n)| format!("{}{a}", "NOT ".repeat(n))),
        ]
    });
    let junk = prop_oneof![
        3 => Just(vec![]),
        1 => prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(JUNK)), 1..3),
    ];
    // now and then, nesting far past the limits around a whole expression
    let tree = prop_oneof![
        8 => tree.clone(),
        1 => (tree.clone(), 30usize..400).prop_map(|(a, n)| format!("{}{a}{}", "(".repeat(n), ")".repeat(n))),
        1 => (tree, 17usize..2000).prop_map(|(a, n)| format!("{}{a}", "NOT ".repeat(n))),
    ];
    (tree, junk).prop_map(|(mut s, junk)| {
        for (at, j) in junk {
            let i = at.index(s.len() + 1);
            if s.is_char_boundary(i) {
                s.insert_str(i, j);
            }
        }
        s
    })
}

/// cql2-json: random JSON trees shaped like operations, with random types where values go.
fn json_value() -> impl Strategy<Value = String> {
    use serde_json::{json, Value};
    let leaf = prop_oneof![
        prop::sample::select(PROPS).prop_map(|p| json!({"property": p})),
        any::<f64>().prop_map(|f| json!(f)),
        any::<i64>().prop_map(|i| json!(i)),
        "[a-z%'\u{0627}]{0,12}".prop_map(Value::String),
        Just(Value::Null),
        Just(json!({"date": "2020-01-01"})),
        Just(json!({"timestamp": "not a time"})),
        Just(json!({"type": "Point", "coordinates": [10, 36]})),
        Just(json!({"type": "Polygon", "coordinates": []})),
        Just(json!({"bbox": [9, 33, 11]})),
    ];
    let tree = leaf.prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            3 => (
                prop::sample::select(&["and", "or", "not", "=", "<", "like", "in", "s_intersects", "between", "isNull", "casei", "nope"][..]),
                prop::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(op, args)| json!({"op": op, "args": args})),
            1 => prop::collection::vec(inner, 0..4).prop_map(Value::Array),
        ]
    });
    // now and then, nesting far past the limits around a whole expression (as text: a deep
    // serde_json value would overflow the test's own stack when built or dropped)
    prop_oneof![
        4 => tree.clone().prop_map(|v| v.to_string()),
        4 => (
            prop::sample::select(&["status", "theme", "code"][..]),
            prop::sample::select(&["=", "<>", "like"][..]),
            prop::sample::select(&["planned", "completed", "P%", "\u{0627}"][..]),
            prop::sample::select(&["and", "or"][..]),
            -1e6f64..1e9,
        )
            .prop_map(|(p, op, v, join, b)| json!({"op": join, "args": [
                {"op": op, "args": [{"property": p}, v]},
                {"op": ">", "args": [{"property": "budget_tnd"}, b]}
            ]}).to_string()),
        1 => (tree, 33usize..3000).prop_map(|(v, n)| format!(
            "{}{v}{}",
            "{\"op\":\"not\",\"args\":[".repeat(n),
            "]}".repeat(n)
        )),
    ]
}

/// GeoJSON feature bodies: geometries of every type, badly nested, empty, with odd numbers.
fn geojson_body() -> impl Strategy<Value = String> {
    use serde_json::{json, Value};
    let num = prop_oneof![
        8 => (9.0f64..11.5).prop_map(|f| json!(f)),
        8 => (33.0f64..37.5).prop_map(|f| json!(f)),
        1 => any::<f64>().prop_map(|f| json!(f)),
        1 => Just(json!("10")),
        1 => Just(Value::Null),
        1 => Just(json!(1e300)),
    ];
    let position = prop_oneof![
        4 => (num.clone(), num.clone()).prop_map(|(a, b)| json!([a, b])),
        1 => prop::collection::vec(num, 0..4).prop_map(Value::Array),
    ];
    let coords = position.prop_recursive(4, 64, 5, |inner| {
        prop::collection::vec(inner, 0..6).prop_map(Value::Array)
    });
    let geom = (
        prop::sample::select(
            &[
                "Point",
                "LineString",
                "Polygon",
                "MultiPoint",
                "MultiLineString",
                "MultiPolygon",
                "Circle",
            ][..],
        ),
        coords,
    )
        .prop_map(|(t, c)| json!({"type": t, "coordinates": c}));
    let point = (9.5f64..11.0, 34.0f64..37.0)
        .prop_map(|(x, y)| json!({"type": "Point", "coordinates": [x, y]}));
    let square = (9.5f64..11.0, 34.0f64..37.0, 0.0001f64..0.05).prop_map(|(x, y, d)| {
        json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
    });
    let collection = geom.clone().prop_recursive(3, 16, 3, |inner| {
        prop::collection::vec(inner, 0..3)
            .prop_map(|g| json!({"type": "GeometryCollection", "geometries": g}))
    });
    let geometry = prop_oneof![3 => point, 2 => square, 3 => geom, 1 => collection];
    let props = prop::collection::btree_map(
        prop::sample::select(
            &[
                "code",
                "title_fr",
                "status",
                "budget_tnd",
                "planned_start",
                "is_public",
                "beneficiaries",
                "nope",
                "class",
                "zone_code",
            ][..],
        ),
        prop_oneof![
            "[A-Za-z0-9\u{0627}-]{0,30}".prop_map(Value::String),
            any::<f64>().prop_map(|f| json!(f)),
            any::<bool>().prop_map(Value::Bool),
            Just(json!("NaN")),
            Just(json!("2020-02-30")),
            Just(Value::Null),
            Just(json!({"nested": [1, 2]})),
        ],
        0..6,
    );
    let code = (0u32..1_000_000).prop_map(|n| format!("FUZZ-{n}"));
    (geometry, props, 0u8..10, code).prop_map(|(g, mut p, shape, code)| {
        if shape > 5 {
            p.insert("code", json!(code));
        }
        match shape {
            0 => g.to_string(),
            1 => {
                json!({"type": "Feature", "geometry": "POINT(10 36)", "properties": p}).to_string()
            }
            2 => {
                let s = json!({"type": "Feature", "geometry": g, "properties": p}).to_string();
                s[..s.len() / 2].to_string()
            }
            _ => json!({"type": "Feature", "geometry": g, "properties": p}).to_string(),
        }
    })
}

/// Tile paths: sources (known, unknown, lists), z/x/y of every kind, odd extensions.
fn tile_path() -> impl Strategy<Value = String> {
    let source = prop_oneof![
        prop::sample::select(
            &[
                "municipalities",
                "landuse",
                "projects",
                "facilities",
                "indicators",
                "delegations",
                "nope",
                "municipalities,landuse,projects",
                "projects,projects",
                ""
            ][..]
        )
        .prop_map(str::to_string),
        "[a-z,%.]{0,20}",
    ];
    let n = prop_oneof![
        (0i64..23).prop_map(|v| v.to_string()),
        any::<i64>().prop_map(|v| v.to_string()),
        "[0-9a-z%.-]{0,8}",
        Just("99999999999999999999999".to_string()),
    ];
    let ext = prop::sample::select(&[".pbf", ".mvt", "", ".json", ".png", "%00"][..]);
    let odd =
        (source, n.clone(), n.clone(), n, ext, query_string()).prop_map(|(s, z, x, y, e, q)| {
            format!(
                "/tiles/{}/{}/{}/{}{e}?{q}",
                enc(&s),
                enc(&z),
                enc(&x),
                enc(&y)
            )
        });
    // real tiles over Tunisia, with the tile filters
    let sources = prop::sample::select(
        &[
            "municipalities",
            "landuse",
            "projects",
            "facilities",
            "indicators",
            "municipalities,landuse,projects,facilities",
        ][..],
    );
    let filters = prop::sample::select(
        &[
            "",
            "status=planned",
            "status=completed,ongoing",
            "theme=water",
            "year=2015",
            "year=abc",
            "municipality=1111",
            "funder=World%20Bank",
        ][..],
    );
    let real =
        (sources, 5u8..15, 0.0f64..1.0, 0.0f64..1.0, filters).prop_map(|(s, z, fx, fy, f)| {
            let (x, y) = common::tile_of(7.5 + fx * 4.0, 30.2 + fy * 7.0, z);
            format!("/tiles/{s}/{z}/{x}/{y}.pbf?{f}")
        });
    prop_oneof![1 => odd, 2 => real]
}

/// Query strings: known parameter names with odd values, unknown names, raw bytes.
fn query_string() -> impl Strategy<Value = String> {
    // the features' own parameters, and those of the other endpoints and of the tiles
    let known: Vec<&'static str> = mokhattat::features::read::params::ITEMS_PARAMS
        .iter()
        .copied()
        .chain([
            "status",
            "theme",
            "municipality",
            "funder",
            "year",
            "api_key",
            "api_k%65y",
            "as_of",
            "at",
            "level",
            "q",
            "lon",
            "lat",
            "code",
            "verdict",
        ])
        .collect();
    let name = prop_oneof![
        prop::sample::select(known).prop_map(str::to_string),
        "[a-z_%-]{1,10}",
    ];
    let value = prop_oneof![
        4 => prop::sample::select(
            &[
                "json",
                "html",
                "csv",
                "geojson",
                "-1",
                "0",
                "10001",
                "1e309",
                "NaN",
                "1,2,3",
                "9,33,11,37",
                "9,33,11,37,1,2",
                "..",
                "2020-01-01/..",
                "../..",
                "2020-13-01",
                "http://www.opengis.net/def/crs/EPSG/0/4326",
                "EPSG:22391",
                "+code,-name_fr",
                "cql2-json",
                "cql2-text",
                "mk_abcdefgh_xxx",
                "%00",
                "%FF%FE",
                "%E2%80%AE"
            ][..]
        )
        .prop_map(str::to_string),
        3 => "[ -~]{0,30}".prop_map(|s| enc(&s)),
        1 => any::<Vec<u8>>().prop_map(|b| b.iter().map(|c| format!("%{c:02X}")).collect()),
    ];
    prop::collection::vec((name, value), 0..5).prop_map(|kv| {
        kv.into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

struct Tally {
    family: &'static str,
    cases: usize,
    by_class: [usize; 6],
    started: Instant,
}

impl Tally {
    fn new(family: &'static str) -> Self {
        Self {
            family,
            cases: 0,
            by_class: [0; 6],
            started: Instant::now(),
        }
    }

    fn report(&self) -> String {
        let secs = self.started.elapsed().as_secs_f64();
        format!(
            "fuzz {}: {} cases in {secs:.1} s ({:.0} cases/s): 2xx {}, 3xx {}, 4xx {}, 5xx {}",
            self.family,
            self.cases,
            self.cases as f64 / secs.max(1e-9),
            self.by_class[2],
            self.by_class[3],
            self.by_class[4],
            self.by_class[5]
        )
    }
}

/// Send one request through the router; any 5xx fails with the request that caused it.
async fn send(
    app: &Router,
    t: &mut Tally,
    method: &str,
    uri: &str,
    key: Option<&str>,
    body: Option<String>,
) {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(k) = key {
        b = b.header("authorization", format!("Bearer {k}"));
    }
    if body.is_some() {
        b = b.header("content-type", "application/geo+json");
    }
    let req = match b.body(body.clone().map(Body::from).unwrap_or_else(Body::empty)) {
        Ok(r) => r,
        // not a request an HTTP client could send (an invalid URI): nothing to test
        Err(_) => return,
    };
    let resp = tokio::time::timeout(Duration::from_secs(60), app.clone().oneshot(req))
        .await
        .unwrap_or_else(|_| panic!("no answer within 60 s: {method} {uri}"))
        .expect("infallible");
    let status = resp.status().as_u16();
    t.cases += 1;
    t.by_class[(status / 100).min(5) as usize] += 1;
    if std::env::var_os("MOKHATTAT_FUZZ_VERBOSE").is_some()
        && t.by_class[status as usize / 100] <= 8
    {
        let (parts, answer) = resp.into_parts();
        let answer = axum::body::to_bytes(answer, 4096).await.unwrap_or_default();
        println!(
            "{} {status} {method} {} -> {}",
            t.family,
            uri.chars().take(160).collect::<String>(),
            String::from_utf8_lossy(&answer)
                .chars()
                .take(200)
                .collect::<String>()
        );
        let _ = parts;
        return;
    }
    if status >= 500 {
        let answer = axum::body::to_bytes(resp.into_body(), 4096)
            .await
            .unwrap_or_default();
        let sent: String = body.unwrap_or_default().chars().take(2000).collect();
        panic!(
            "{status} for {method} {}\nbody sent: {sent}\nanswer: {}\n{}",
            uri.chars().take(2000).collect::<String>(),
            String::from_utf8_lossy(&answer),
            t.report()
        );
    }
}

/// Draw `n` values from `strategy`, bounded by a deadline.
fn draw<S: Strategy>(strategy: S, n: usize) -> Vec<S::Value> {
    let mut r = runner();
    (0..n)
        .filter_map(|_| strategy.new_tree(&mut r).ok().map(|t| t.current()))
        .collect()
}

/// `n` drawn values turned into requests by `to_case` (given each value's index too).
fn requests<'a, S: Strategy>(
    strategy: S,
    n: usize,
    to_case: impl Fn(usize, S::Value) -> Case<'a>,
) -> Vec<Case<'a>> {
    let drawn = draw(strategy, n).into_iter().enumerate();
    drawn.map(|(i, v)| to_case(i, v)).collect()
}

/// One generated request: method, URI, key, body.
type Case<'a> = (&'static str, String, Option<&'a str>, Option<String>);

const DEADLINE: Duration = Duration::from_secs(150);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_filters_bodies_tiles_and_query_strings() {
    let db = common::sample_db().await;
    let admin = common::key(&db, "admin", &[], None).await;
    let planner = common::key(&db, "planner", &["1111"], None).await;
    let app = mokhattat::app(mokhattat::AppState::start(
        db.pool.clone(),
        mokhattat::config::Settings::for_base_url("http://fuzz.test"),
    ));
    let n = cases();
    let deadline = Instant::now() + DEADLINE;
    let (admin, planner) = (Some(admin.as_str()), Some(planner.as_str()));
    let query_paths = [
        "/collections/projects/items",
        "/collections/municipalities/items",
        "/collections/indicators-municipalities/items",
        "/collections/projects",
        "/collections/landuse/queryables",
        "/api/units",
        "/api/locate",
        "/api/indicators",
        "/api/units/municipality/1111",
        "/api/units/municipality/1111/diagnosis",
        "/api/projects/P048825/context",
        "/api/projects/P048825/history",
        "/api/conformity/projects",
        "/tiles/municipalities.json",
        "/",
        "/map",
    ];
    // each family: its generated inputs turned into requests (method, uri, key, body)
    let families: Vec<(&'static str, Vec<Case>)> = vec![
        (
            "cql2-text",
            requests(cql2_text(), n, |i, f| {
                let (path, key) = match i % 3 {
                    0 => ("/collections/projects/items?filter=", None),
                    1 => ("/tiles/projects,municipalities/9/270/200.pbf?filter=", None),
                    _ => ("/collections/conformity/items?filter=", planner),
                };
                ("GET", format!("{path}{}", enc(&f)), key, None)
            }),
        ),
        (
            "cql2-json",
            requests(json_value(), n, |i, v| {
                let path = if i % 2 == 0 {
                    "/collections/projects/items?filter-lang=cql2-json&filter="
                } else {
                    "/tiles/projects/10/540/401.pbf?filter-lang=cql2-json&filter="
                };
                ("GET", format!("{path}{}", enc(&v)), None, None)
            }),
        ),
        (
            "geojson bodies",
            requests(geojson_body(), n, |i, body| {
                let (method, path) = match i % 4 {
                    0 => ("POST", "/collections/projects/items"),
                    1 => ("PUT", "/collections/projects/items/1"),
                    2 => ("PATCH", "/collections/projects/items/2"),
                    _ => ("POST", "/collections/landuse/items"),
                };
                (
                    method,
                    path.to_string(),
                    if i % 5 == 0 { planner } else { admin },
                    Some(body),
                )
            }),
        ),
        (
            "tile paths",
            requests(tile_path(), n, |_, p| ("GET", p, None, None)),
        ),
        (
            "query strings",
            requests(query_string(), n, |i, q| {
                (
                    "GET",
                    format!("{}?{q}", query_paths[i % query_paths.len()]),
                    None,
                    None,
                )
            }),
        ),
    ];
    let mut reports = Vec::new();
    for (family, requests) in families {
        let mut t = Tally::new(family);
        for (method, uri, key, body) in requests {
            send(&app, &mut t, method, &uri, key, body).await;
            if Instant::now() > deadline {
                break;
            }
        }
        assert!(t.cases > 0, "{}", t.report());
        reports.push(t.report());
    }
    for r in &reports {
        println!("{r}");
    }
    assert_eq!(reports.len(), 5);
    // the server still answers
    let resp = app
        .clone()
        .oneshot(Request::get("/health").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}
