//! Issue 8: one visibility rule. Every caller kind × every read path × a public project, non-public
//! projects of partners X and Y, and a non-public project on a vertex shared by two municipalities
//! (assigned to exactly one of them): what each path shows must be what the rule says, everywhere.
use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use mvt_reader::{feature::Value as MvtValue, Reader};
use serde_json::Value;
use sqlx::PgPool;

use common::key;

/// A project with one exact point location at (lon, lat); returns its id.
async fn project(
    pool: &PgPool,
    code: &str,
    public: bool,
    partner: Option<&str>,
    at: (f64, f64),
) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO project (code, title_fr, project_type, budget_tnd, status, partner, is_public,
                              planned_start, planned_end)
         VALUES ($1, 'Projet ' || $1, 'building', 1000, 'planned', $2, $3, current_date - 30,
                 current_date + 700) RETURNING id",
    )
    .bind(code)
    .bind(partner)
    .bind(public)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO project_location (project_id, source_id, precision, geom)
         VALUES ($1, 'a', 'exact', ST_SetSRID(ST_MakePoint($2, $3), 4326))",
    )
    .bind(id)
    .bind(at.0)
    .bind(at.1)
    .execute(pool)
    .await
    .unwrap();
    id
}

use common::tile_of;

struct Fixture {
    code: String,
    id: i64,
    public: bool,
    partner: Option<String>,
    at: (f64, f64),
    /// municipalities its location is assigned to now
    assigned: Vec<String>,
}

struct Who {
    name: &'static str,
    key: Option<String>,
    admin: bool,
    partner: Option<&'static str>,
    municipalities: Vec<String>,
}

impl Who {
    /// The decided rule (docs/visibility.md), computed independently of the server.
    fn may_see(&self, p: &Fixture) -> bool {
        p.public
            || self.admin
            || (self.partner.is_some() && self.partner == p.partner.as_deref())
            || p.assigned.iter().any(|m| self.municipalities.contains(m))
    }
}

async fn get(srv: &common::TestServer, path: &str, key: Option<&str>) -> reqwest::Response {
    let mut r = srv.client.get(srv.url(path));
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    r.send().await.unwrap()
}

async fn json(srv: &common::TestServer, path: &str, key: Option<&str>) -> Value {
    let r = get(srv, path, key).await;
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

use common::enc;

/// For each fixture (by code), whether `path(f)` answers 200 to key `k`; any other answer than
/// 200 or 404 fails.
async fn shown_at(
    srv: &common::TestServer,
    fixtures: &[Fixture],
    k: Option<&str>,
    path: impl Fn(&Fixture) -> String,
) -> BTreeMap<String, bool> {
    let mut shown = BTreeMap::new();
    for f in fixtures {
        let path = path(f);
        let s = get(srv, &path, k).await.status();
        assert!(s == 200 || s == 404, "{path} ({}): {s}", f.code);
        shown.insert(f.code.clone(), s == 200);
    }
    shown
}

fn codes_of(features: &Value, prop: &str) -> BTreeSet<String> {
    common::items(&features["features"])
        .filter_map(|f| f["properties"][prop].as_str().map(String::from))
        .collect()
}

/// Drop the moment an answer was produced, to compare figures.
fn strip_time(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("generated_at");
            m.remove("timeStamp");
            m.values_mut().for_each(strip_time);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_time),
        _ => {}
    }
}

#[tokio::test]
async fn every_read_path_follows_the_one_rule() {
    let db = common::sample_db().await;
    let pool = &db.pool;
    // a vertex shared by exactly two current municipalities A and B
    let (a, b, ex, ey): (String, String, f64, f64) = sqlx::query_as(
        "WITH v AS (SELECT code, ST_AsBinary((ST_DumpPoints(geom)).geom) AS wkb
                    FROM admin_unit_current WHERE level = 'municipality'),
              s AS (SELECT wkb, array_agg(DISTINCT code ORDER BY code) AS codes FROM v GROUP BY wkb)
         SELECT codes[1], codes[2], ST_X(ST_GeomFromWKB(wkb)), ST_Y(ST_GeomFromWKB(wkb))
         FROM s WHERE cardinality(codes) = 2 ORDER BY s.codes, s.wkb LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("a vertex shared by two municipalities");
    let inside = |code: String| async move {
        sqlx::query_as::<_, (f64, f64)>(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM admin_unit_current
             WHERE level = 'municipality' AND code = $1) s",
        )
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
    };
    let (in_a, in_b) = (inside(a.clone()).await, inside(b.clone()).await);
    // the geometry rule would give the vertex to both
    let touching: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM admin_unit_current WHERE level = 'municipality'
         AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))",
    )
    .bind(ex)
    .bind(ey)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(touching, 2, "the shared vertex touches A={a} and B={b}");

    type Spec<'a> = (&'a str, bool, Option<&'a str>, (f64, f64));
    let specs: [Spec; 4] = [
        ("VIS-PUB", true, Some("partner-y"), in_a),
        ("VIS-XA", false, Some("partner-x"), in_a),
        ("VIS-YB", false, Some("partner-y"), in_b),
        ("VIS-EDGE", false, None, (ex, ey)),
    ];
    let mut fixtures = Vec::new();
    for (code, public, partner, at) in specs {
        let id = project(pool, code, public, partner, at).await;
        let assigned: Vec<String> = sqlx::query_scalar(
            "SELECT unit_code FROM location_assignment WHERE project_id = $1 AND valid_to IS NULL
             AND level = 'municipality' AND unit_code IS NOT NULL ORDER BY 1",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap();
        fixtures.push(Fixture {
            code: code.into(),
            id,
            public,
            partner: partner.map(Into::into),
            at,
            assigned,
        });
    }
    let edge = &fixtures[3].assigned;
    assert!(
        edge.len() == 1 && (edge[0] == a || edge[0] == b),
        "the shared vertex is assigned to exactly one of {a}, {b}: {edge:?}"
    );
    println!("A = {a}, B = {b}, vertex ({ex}, {ey}) assigned to {edge:?}");

    let mut callers = Vec::new();
    for (name, role, municipalities, partner) in [
        ("anonymous", None, vec![], None),
        ("admin", Some("admin"), vec![], None),
        ("planner A", Some("planner"), vec![a.clone()], None),
        ("planner B", Some("planner"), vec![b.clone()], None),
        ("partner X", Some("partner"), vec![], Some("partner-x")),
        ("partner Y", Some("partner"), vec![], Some("partner-y")),
    ] {
        let scope: Vec<&str> = municipalities.iter().map(String::as_str).collect();
        let key = match role {
            Some(role) => Some(key(&db, role, &scope, partner).await),
            None => None,
        };
        callers.push(Who {
            name,
            key,
            admin: role == Some("admin"),
            partner,
            municipalities,
        });
    }

    let srv = common::serve(pool.clone()).await;
    let list = fixtures
        .iter()
        .map(|f| format!("'{}'", f.code))
        .collect::<Vec<_>>()
        .join(", ");
    let by_code = enc(&format!("code IN ({list})"));
    let by_project_code = enc(&format!("project_code IN ({list})"));
    // seen[(caller, project)][path] = visible?
    let mut seen: BTreeMap<(usize, usize), BTreeMap<&'static str, bool>> = BTreeMap::new();
    let mut published: Vec<(String, Value, Value)> = Vec::new();
    for (ci, who) in callers.iter().enumerate() {
        let k = who.key.as_deref();
        let mut mark = |path: &'static str, shown: &dyn Fn(&Fixture) -> bool| {
            for (pi, f) in fixtures.iter().enumerate() {
                seen.entry((ci, pi)).or_default().insert(path, shown(f));
            }
        };
        // features: list, count, item, CSV download
        let items = format!("/collections/projects/items?limit=100&filter={by_code}");
        let body = json(&srv, &items, k).await;
        let listed = codes_of(&body, "code");
        mark("items", &|f| listed.contains(&f.code));
        let matched = body["numberMatched"].as_u64().unwrap() as usize;
        let wanted = fixtures.iter().filter(|f| who.may_see(f)).count();
        // a wrong count flags every cell of this caller
        mark("items count", &|f| who.may_see(f) == (matched == wanted));
        let item = shown_at(&srv, &fixtures, k, |f| {
            format!("/collections/projects/items/{}", f.id)
        })
        .await;
        mark("item", &|f| item[&f.code]);
        let csv = get(
            &srv,
            &format!("/collections/projects/items?f=csv&limit=100&filter={by_code}"),
            k,
        )
        .await
        .text()
        .await
        .unwrap();
        mark("csv", &|f| csv.contains(&f.code));
        // features: conformity layer
        let conformity =
            format!("/collections/conformity/items?limit=100&filter={by_project_code}");
        let body = json(&srv, &conformity, k).await;
        let conf = codes_of(&body, "project_code");
        mark("conformity items", &|f| conf.contains(&f.code));
        // land-use verdicts API
        let body = json(&srv, "/api/conformity/projects", k).await;
        let verdicts: BTreeSet<String> = common::items(&body["projects"])
            .filter_map(|p| p["code"].as_str().map(String::from))
            .collect();
        mark("conformity api", &|f| verdicts.contains(&f.code));
        // vector tiles
        let mut tiles = BTreeMap::new();
        for f in &fixtures {
            let (x, y) = tile_of(f.at.0, f.at.1, 14);
            let r = get(&srv, &format!("/tiles/projects/14/{x}/{y}.pbf"), k).await;
            assert_eq!(r.status(), 200, "tile of {}", f.code);
            let bytes = r.bytes().await.unwrap();
            let mut found = false;
            if !bytes.is_empty() {
                let reader = Reader::new(bytes.to_vec()).expect("a vector tile");
                for (i, _) in reader.get_layer_names().unwrap().iter().enumerate() {
                    for feat in reader.get_features(i).unwrap() {
                        let props = feat.properties.unwrap_or_default();
                        if matches!(props.get("code"), Some(MvtValue::String(c)) if *c == f.code) {
                            found = true;
                        }
                    }
                }
            }
            tiles.insert(f.code.clone(), found);
        }
        mark("tiles", &|f| tiles[&f.code]);
        // project API: context, history, assignments
        for (path, name) in [
            ("context", "context"),
            ("history", "history"),
            ("assignments", "assignments"),
        ] {
            let shown = shown_at(&srv, &fixtures, k, |f| {
                format!("/api/projects/{}/{path}", f.code)
            })
            .await;
            mark(name, &|f| shown[&f.code]);
        }
        // diagnosis sheets of A and B: their lists of projects
        let mut listed = BTreeSet::new();
        for m in [&a, &b] {
            let mut body = json(&srv, &format!("/api/units/municipality/{m}/diagnosis"), k).await;
            for p in body["projects"]["items"].as_array().unwrap() {
                listed.insert(p["code"].as_str().unwrap().to_string());
            }
            // published figures: the same for every caller
            let mut unit = body["unit"].take();
            strip_time(&mut unit);
            published.push((format!("diagnosis {m} unit"), unit, Value::Null));
        }
        mark("diagnosis", &|f| listed.contains(&f.code));
        let mut ind = json(&srv, "/api/indicators?level=municipality", k).await;
        strip_time(&mut ind);
        published.push(("indicators".into(), ind, Value::Null));
    }

    // the disagreement table
    let mut bad = Vec::new();
    let mut table = String::new();
    for ((ci, pi), paths) in &seen {
        let (who, f) = (&callers[*ci], &fixtures[*pi]);
        let expect = who.may_see(f);
        let wrong: Vec<_> = paths
            .iter()
            .filter(|(_, v)| **v != expect)
            .map(|(p, v)| format!("{p}={v}"))
            .collect();
        table.push_str(&format!(
            "{:<10} {:<9} expected {:<5} {}\n",
            who.name,
            f.code,
            expect,
            if wrong.is_empty() {
                "all paths agree".to_string()
            } else {
                wrong.join(" ")
            }
        ));
        if !wrong.is_empty() {
            bad.push(());
        }
    }
    println!("{table}");
    assert!(
        bad.is_empty(),
        "{} caller×project cells disagree with the rule:\n{table}",
        bad.len()
    );
    assert_eq!(seen.len(), callers.len() * fixtures.len());
    assert!(
        seen.values().all(|p| p.len() == 11),
        "every path was checked"
    );

    // published figures: every caller gets the anonymous caller's numbers
    let n = published.len() / callers.len();
    for (i, (name, v, _)) in published.iter().enumerate().skip(n) {
        assert_eq!(
            v,
            &published[i % n].1,
            "{name}: not the same figures for every caller"
        );
    }
}

/// The rule stays cheap: `mk_project_visible` is inlined (no call of it left in the plan; with the
/// scope bound it folds to the branches that apply), and the planner branch's assignment lookup
/// uses the partial index of migration 0012.
#[tokio::test]
async fn the_rule_is_inlined_and_indexed() {
    use mokhattat::auth::{visibility, Visibility};
    let db = common::sample_db().await;
    let explain = |v: Visibility, sql: &'static str| {
        let pool = db.pool.clone();
        async move {
            let mut qb = sqlx::QueryBuilder::new(sql);
            visibility::push_project_visible(&mut qb, "t", &v);
            qb.push(" ORDER BY t.id LIMIT 10");
            let lines: Vec<String> = qb.build_query_scalar().fetch_all(&pool).await.unwrap();
            lines.join("\n")
        }
    };
    let planner = Visibility {
        municipalities: vec!["1111".into()],
        ..Visibility::default()
    };
    const ITEMS: &str = "EXPLAIN (VERBOSE, COSTS OFF) SELECT t.id FROM project t WHERE ";
    for (name, v) in [
        ("anonymous", Visibility::default()),
        (
            "admin",
            Visibility {
                all: true,
                ..Visibility::default()
            },
        ),
        (
            "partner",
            Visibility {
                partner: Some("x".into()),
                ..Visibility::default()
            },
        ),
        ("planner", planner.clone()),
    ] {
        let plan = explain(v, ITEMS).await;
        println!("-- {name}\n{plan}");
        assert!(
            !plan.contains("mk_project_visible"),
            "{name}: not inlined\n{plan}"
        );
    }
    let plan = explain(planner, ITEMS).await;
    assert!(plan.contains("mk_project_assigned_to"), "{plan}");
    // the lookup the planner branch runs for a non-public project
    let lines: Vec<String> = sqlx::query_scalar(
        "EXPLAIN (COSTS OFF) SELECT EXISTS (SELECT 1 FROM location_assignment a
           WHERE a.project_id = $1 AND a.valid_to IS NULL AND a.level = 'municipality'
             AND a.unit_code = ANY ($2))",
    )
    .bind(1_i64)
    .bind(vec!["1111".to_string()])
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let plan = lines.join("\n");
    println!("-- assignment lookup\n{plan}");
    assert!(
        plan.contains("location_assignment_project_municipality"),
        "{plan}"
    );
}
