//! OGC API – Features against the real sample data, through real HTTP. Expected answers are
//! computed here from the raw sample files, not from the server.
use crate::common;

use std::collections::{BTreeSet, HashMap};

use reqwest::Method;
use serde_json::{json, Value};

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const EPSG4326: &str = "http://www.opengis.net/def/crs/EPSG/0/4326";
const EPSG22391: &str = "http://www.opengis.net/def/crs/EPSG/0/22391";

use common::enc;
use common::http::{write, GEOJSON, MERGE_PATCH};

/// Follow `next` links from `first` to the end; every link must be typed.
async fn all_pages(srv: &common::TestServer, first: &str) -> (Vec<Value>, i64, usize) {
    let mut url = srv.url(first);
    let mut features = Vec::new();
    let mut pages = 0;
    let mut matched;
    loop {
        let r = srv.client.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200, "{url}");
        assert_eq!(r.headers()["content-type"], "application/geo+json");
        let body: Value = r.json().await.unwrap();
        pages += 1;
        let n = body["features"].as_array().unwrap().len();
        assert_eq!(body["numberReturned"], json!(n));
        assert!(body["timeStamp"].is_string());
        matched = body["numberMatched"].as_i64().unwrap();
        features.extend(common::items(&body["features"]).cloned());
        let links = body["links"].as_array().unwrap();
        assert!(
            links
                .iter()
                .all(|l| l["type"].is_string() && l["href"].is_string()),
            "{links:?}"
        );
        match links.iter().find(|l| l["rel"] == "next") {
            Some(next) => url = next["href"].as_str().unwrap().to_string(),
            None => break,
        }
        assert!(pages < 1000, "paging does not end");
    }
    (features, matched, pages)
}

use common::key;

#[tokio::test]
async fn landing_conformance_collections() {
    let (_db, srv) = common::sample_server().await;
    let (s, landing) = srv.get_json("/").await;
    assert_eq!(s, 200);
    let rels: HashMap<String, String> = common::items(&landing["links"])
        .map(|l| {
            (
                l["rel"].as_str().unwrap().to_string(),
                l["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rels.get("service-desc").map(String::as_str),
        Some("application/vnd.oai.openapi+json;version=3.0")
    );
    for rel in ["service-doc", "conformance", "data"] {
        assert!(rels.contains_key(rel), "landing lacks {rel}: {rels:?}");
    }
    let (s, conf) = srv.get_json("/conformance").await;
    assert_eq!(s, 200);
    let classes: Vec<&str> = common::items(&conf["conformsTo"])
        .map(|v| v.as_str().unwrap())
        .collect();
    for c in [
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ] {
        assert!(classes.contains(&c), "missing {c}");
    }
    let (s, cols) = srv.get_json("/collections").await;
    assert_eq!(s, 200);
    let ids: BTreeSet<&str> = common::strs(&cols["collections"], "id");
    assert_eq!(
        ids,
        BTreeSet::from([
            "conformity",
            "delegations",
            "facilities",
            "governorates",
            "indicators-delegations",
            "indicators-governorates",
            "indicators-municipalities",
            "landuse",
            "meetings",
            "municipalities",
            "participation-zones",
            "plans",
            "projects",
            "proposals"
        ])
    );
    for c in cols["collections"].as_array().unwrap() {
        let bbox = c["extent"]["spatial"]["bbox"][0].as_array().unwrap();
        assert_eq!(bbox.len(), 4);
        let b: Vec<f64> = bbox.iter().map(|v| v.as_f64().unwrap()).collect();
        assert!(
            b[0] > 7.0 && b[2] < 12.0 && b[1] > 30.0 && b[3] < 38.0,
            "{} bbox {b:?}",
            c["id"]
        );
        assert!(c["extent"]["temporal"]["interval"].is_array());
        assert_eq!(c["storageCrs"], CRS84);
        let crs: Vec<&str> = common::items(&c["crs"])
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(crs.contains(&CRS84) && crs.contains(&EPSG22391) && crs.contains(&EPSG4326));
        let links = c["links"].as_array().unwrap();
        assert!(links.iter().all(|l| l["type"].is_string()));
        assert!(links
            .iter()
            .any(|l| l["rel"] == "items" && l["type"] == "application/geo+json"));
    }
    let r = srv.get("/collections/municipalities/queryables").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/schema+json");
    let q: Value = r.json().await.unwrap();
    assert_eq!(q["properties"]["population"]["type"], "integer");
    assert_eq!(
        q["properties"]["geometry"]["x-ogc-role"],
        "primary-geometry"
    );
    let (s, api) = srv.get_json("/api").await;
    assert_eq!(s, 200);
    let limit = &api["components"]["parameters"]["limit"]["schema"];
    assert_eq!(limit["maximum"], 10000);
    assert_eq!(limit["default"], 100);
    assert_eq!(srv.get("/api.html").await.status(), 200);
    assert_eq!(srv.status("/collections/nope").await, 404);
    assert_eq!(
        srv.status("/collections/municipalities/items/nope").await,
        404
    );
}

#[tokio::test]
async fn paging_counts_and_limits() {
    let (_db, srv) = common::sample_server().await;
    let raw = common::sample_json("municipalities.geojson");
    let raw_codes: BTreeSet<String> = common::items(&raw["features"])
        .map(|f| f["properties"]["code"].as_str().unwrap().to_string())
        .collect();
    let (features, matched, pages) =
        all_pages(&srv, "/collections/municipalities/items?limit=37").await;
    assert_eq!(matched as usize, raw_codes.len());
    assert_eq!(pages, raw_codes.len().div_ceil(37));
    let got: BTreeSet<String> = features
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, raw_codes, "every municipality exactly once");
    assert_eq!(features.len(), raw_codes.len());
    // projects: one feature per project, geometry = its locations
    let raw = common::sample_json("projects.geojson");
    let mut locs: HashMap<String, usize> = HashMap::new();
    for f in raw["features"].as_array().unwrap() {
        *locs
            .entry(f["properties"]["code"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let (features, matched, _) = all_pages(&srv, "/collections/projects/items?limit=10").await;
    assert_eq!(matched as usize, locs.len());
    for f in &features {
        let code = f["properties"]["code"].as_str().unwrap();
        assert_eq!(f["geometry"]["type"], "MultiPoint", "{code}");
        assert_eq!(
            f["geometry"]["coordinates"].as_array().unwrap().len(),
            locs[code],
            "{code}"
        );
        assert_eq!(f["properties"]["partner"], "world-bank");
        assert!(f["id"].is_i64());
    }
    // limit above the maximum is clamped, not rejected
    let (s, body) = srv
        .get_json("/collections/facilities/items?limit=50000")
        .await;
    assert_eq!(s, 200);
    assert!(body["numberReturned"].as_i64().unwrap() <= 10000);
    assert_eq!(
        srv.status("/collections/facilities/items?limit=0").await,
        400
    );
    assert_eq!(
        srv.status("/collections/facilities/items?limit=abc").await,
        400
    );
    // prev link on later pages
    let (_, body) = srv
        .get_json("/collections/municipalities/items?limit=10&offset=20")
        .await;
    let prev = common::item_where(&body["links"], "rel", "prev");
    assert!(prev["href"].as_str().unwrap().contains("offset=10"));
}

#[tokio::test]
async fn unknown_parameters_properties_sortby_simple_filters() {
    let (_db, srv) = common::sample_server().await;
    let (s, body) = srv
        .get_json("/collections/municipalities/items?foo=1")
        .await;
    assert_eq!(s, 400);
    assert!(body["description"].as_str().unwrap().contains("foo"));
    assert_eq!(
        srv.status("/collections/municipalities/items?api_key=&limit=1")
            .await,
        200
    );
    let (s, body) = srv
        .get_json("/collections/municipalities/items?code=1111")
        .await;
    assert_eq!(s, 200);
    assert_eq!(body["numberMatched"], 1);
    assert_eq!(body["features"][0]["properties"]["name_fr"], "Tunis");
    let (_, body) = srv
        .get_json("/collections/municipalities/items?properties=code,population&limit=3")
        .await;
    let props = body["features"][0]["properties"].as_object().unwrap();
    assert_eq!(props.keys().collect::<Vec<_>>(), vec!["code", "population"]);
    assert_eq!(
        srv.status("/collections/municipalities/items?properties=nope")
            .await,
        400
    );
    // sortby: compare with the raw data
    let raw = common::sample_json("municipalities.geojson");
    let mut pops: Vec<i64> = common::items(&raw["features"])
        .map(|f| f["properties"]["population"].as_i64().unwrap())
        .collect();
    pops.sort_unstable_by(|a, b| b.cmp(a));
    let (_, body) = srv
        .get_json("/collections/municipalities/items?sortby=-population&limit=5")
        .await;
    let got: Vec<i64> = common::items(&body["features"])
        .map(|f| f["properties"]["population"].as_i64().unwrap())
        .collect();
    assert_eq!(got, pops[..5]);
    assert_eq!(
        srv.status("/collections/municipalities/items?sortby=nope")
            .await,
        400
    );
}

/// Even-odd point-in-polygon on raw GeoJSON (multi)polygons.
fn contains(geom: &Value, x: f64, y: f64) -> bool {
    let polys: Vec<&Value> = match geom["type"].as_str().unwrap() {
        "Polygon" => vec![&geom["coordinates"]],
        _ => common::items(&geom["coordinates"]).collect(),
    };
    let mut inside = false;
    for poly in polys {
        for ring in poly.as_array().unwrap() {
            let pts: Vec<(f64, f64)> = ring
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                .collect();
            for i in 0..pts.len() - 1 {
                let ((x1, y1), (x2, y2)) = (pts[i], pts[i + 1]);
                if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                    inside = !inside;
                }
            }
        }
    }
    inside
}

#[tokio::test]
async fn cql2_filters_against_known_answers() {
    let (_db, srv) = common::sample_server().await;
    let raw = common::sample_json("municipalities.geojson");
    let feats = raw["features"].as_array().unwrap();
    let big = codes_where(feats, |p| p["population"].as_i64().unwrap_or(0) > 100_000);
    assert!(big.len() > 5);
    let ids = |body: &Value| -> BTreeSet<String> {
        common::items(&body["features"])
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (s, body) = municipalities(
        &srv,
        "limit=1000&filter-lang=cql2-text&",
        "population > 100000",
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(ids(&body), big);
    assert_eq!(body["numberMatched"].as_u64().unwrap() as usize, big.len());
    let j = json!({"op": ">", "args": [{"property": "population"}, 100000]}).to_string();
    let (s, body) = municipalities(&srv, "limit=1000&filter-lang=cql2-json&", &j).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(ids(&body), big);
    // LIKE, IN, BETWEEN, CASEI
    let sfax = codes_where(feats, |p| {
        p["name_fr"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .starts_with("sfax")
    });
    let mid = codes_where(feats, |p| {
        (50_000..=60_000).contains(&p["population"].as_i64().unwrap_or(-1))
    });
    let in_two = BTreeSet::from(["1111".to_string(), "1116".to_string()]);
    for (params, filter, expect) in [
        ("limit=1000&", "CASEI(name_fr) LIKE casei('SFAX%')", &sfax),
        ("", "code IN ('1111','1116')", &in_two),
        ("limit=1000&", "population BETWEEN 50000 AND 60000", &mid),
    ] {
        let (_, body) = municipalities(&srv, params, filter).await;
        assert_eq!(&ids(&body), expect, "{filter}");
    }
    // spatial: the municipality containing a point, in CRS84 and in EPSG:4326 (lat/lon)
    let (x, y) = (10.1815, 36.8065);
    let expect: BTreeSet<String> = feats
        .iter()
        .filter(|f| contains(&f["geometry"], x, y))
        .map(|f| f["properties"]["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(expect.len(), 1);
    let crs84 = format!("S_INTERSECTS(geometry, POINT({x} {y}))");
    let (_, body) = municipalities(&srv, "", &crs84).await;
    assert_eq!(ids(&body), expect);
    let lat_lon = format!("S_INTERSECTS(geometry, POINT({y} {x}))");
    let params = format!("filter-crs={}&", enc(EPSG4326));
    let (_, body) = municipalities(&srv, &params, &lat_lon).await;
    assert_eq!(ids(&body), expect);
    // broken CQL2: 400 with the position; an unknown property: 400 naming it
    for (filter, named) in [("population >> 3", "1:"), ("nope = 3", "nope")] {
        let (s, body) = municipalities(&srv, "", filter).await;
        assert_eq!(s, 400);
        assert!(
            body["description"].as_str().unwrap().contains(named),
            "{body}"
        );
    }
    assert_eq!(
        srv.status("/collections/municipalities/items?filter-lang=ecql&filter=x")
            .await,
        400
    );
}

/// `GET /collections/municipalities/items?{params}filter={filter}`, the filter percent-encoded.
async fn municipalities(srv: &common::TestServer, params: &str, filter: &str) -> (u16, Value) {
    let path = format!(
        "/collections/municipalities/items?{params}filter={}",
        enc(filter)
    );
    srv.get_json(&path).await
}

/// The codes of the raw features whose properties pass `keep`.
fn codes_where(feats: &[Value], keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    feats
        .iter()
        .filter(|f| keep(&f["properties"]))
        .map(|f| f["properties"]["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn bbox_crs_and_datetime() {
    let (_db, srv) = common::sample_server().await;
    let raw = common::sample_json("facilities.geojson");
    let (x1, y1, x2, y2) = (10.1, 36.7, 10.3, 36.9);
    let expect = common::items(&raw["features"])
        .filter(|f| {
            let c = &f["geometry"]["coordinates"];
            let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            x >= x1 && x <= x2 && y >= y1 && y <= y2
        })
        .count();
    assert!(expect > 10);
    let (_, body) = srv
        .get_json(&format!(
            "/collections/facilities/items?bbox={x1},{y1},{x2},{y2}"
        ))
        .await;
    assert_eq!(body["numberMatched"].as_u64().unwrap() as usize, expect);
    let r = srv
        .get(&format!(
            "/collections/facilities/items?limit=5&bbox={y1},{x1},{y2},{x2}&bbox-crs={}&crs={}",
            enc(EPSG4326),
            enc(EPSG4326)
        ))
        .await;
    assert_eq!(r.headers()["content-crs"], format!("<{EPSG4326}>"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["numberMatched"].as_u64().unwrap() as usize, expect);
    let c = &body["features"][0]["geometry"]["coordinates"];
    assert!(
        c[0].as_f64().unwrap() > 36.0,
        "EPSG:4326 is latitude first: {c}"
    );
    let (_, body) = srv
        .get_json(&format!(
            "/collections/facilities/items?limit=5&crs={}",
            enc(EPSG22391)
        ))
        .await;
    let c = &body["features"][0]["geometry"]["coordinates"];
    assert!(c[0].as_f64().unwrap() > 100_000.0, "projected metres: {c}");
    let (s, _) = srv
        .get_json(&format!(
            "/collections/facilities/items?crs={}",
            enc("http://www.opengis.net/def/crs/EPSG/0/2154")
        ))
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        srv.status("/collections/facilities/items?bbox=1,2,3").await,
        400
    );
    // datetime on projects: planned span meets the instant, counted from the raw data
    let raw = common::sample_json("projects.geojson");
    let mut spans: HashMap<String, (String, String)> = HashMap::new();
    for f in raw["features"].as_array().unwrap() {
        let p = &f["properties"];
        spans.insert(
            p["code"].as_str().unwrap().into(),
            (
                p["planned_start"].as_str().unwrap_or("").into(),
                p["planned_end"].as_str().unwrap_or("").into(),
            ),
        );
    }
    let day = "2015-06-01";
    let expect = spans
        .values()
        .filter(|(s, e)| !s.is_empty() && s.as_str() <= day && (e.is_empty() || e.as_str() >= day))
        .count();
    let (s, body) = srv
        .get_json(&format!("/collections/projects/items?datetime={day}"))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["numberMatched"].as_u64().unwrap() as usize, expect);
}

#[tokio::test]
async fn formats_csv_gpkg_fgb_html() {
    let (_db, srv) = common::sample_server().await;
    let r = srv.get("/collections/governorates/items?f=csv").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = r.text().await.unwrap();
    assert_eq!(text.lines().count(), 25);
    assert!(text.starts_with("id,code,name_ar"));
    for (f, driver) in [("gpkg", "GPKG"), ("fgb", "FlatGeobuf")] {
        let r = srv
            .client
            .get(srv.url(&format!(
                "/collections/municipalities/items?f={f}&limit=10000&crs={}",
                enc(EPSG22391)
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("m.{f}"));
        std::fs::write(&path, &bytes).unwrap();
        let ds = gdal::Dataset::open(&path).unwrap();
        assert_eq!(ds.driver().short_name(), driver);
        use gdal::vector::LayerAccess;
        let mut layer = ds.layer(0).unwrap();
        assert_eq!(layer.feature_count(), 350);
        let srs = layer.spatial_ref().unwrap();
        assert_eq!(srs.auth_code().unwrap(), 22391);
        let f = layer.features().next().unwrap();
        assert!(f.field_index("population").is_ok());
    }
    let r = srv
        .get_accept("/collections/municipalities/items?limit=5", "text/html")
        .await;
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("البلديات"));
    let r = srv
        .get_accept("/collections/municipalities/items/1111", "text/html")
        .await;
    assert!(r.text().await.unwrap().contains("Tunis"));
    let r = srv
        .get_accept(
            "/collections/projects/items?limit=5",
            "application/flatgeobuf",
        )
        .await;
    assert_eq!(r.headers()["content-type"], "application/flatgeobuf");
    assert_eq!(srv.status("/collections/projects/items?f=xml").await, 400);
}

fn feature(props: Value, lon: f64, lat: f64) -> Value {
    json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props})
}

/// The `Allow` header of `OPTIONS url` sent with `headers`.
async fn allow(c: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> String {
    let mut r = c.request(Method::OPTIONS, url);
    for (name, value) in headers {
        r = r.header(*name, *value);
    }
    let r = r.send().await.unwrap();
    assert_eq!(r.status(), 200, "OPTIONS {url}");
    r.headers()["allow"].to_str().unwrap().to_string()
}

#[tokio::test]
// size: one editing sequence, each step depending on the one before
async fn editing_sequence_scopes_and_history() {
    let (db, srv) = common::sample_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let other_partner = key(&db, "partner", &[], Some("undp")).await;
    let (as_planner, as_other) = (
        format!("Bearer {planner}"),
        format!("Bearer {other_partner}"),
    );
    let c = &srv.client;
    let items = srv.url("/collections/projects/items");
    // OPTIONS without a key: read only; with a planner key: POST
    assert!(!allow(c, &items, &[]).await.contains("POST"));
    let with_query_key = format!("{items}?api_key={planner}");
    assert!(allow(c, &with_query_key, &[]).await.contains("POST"));
    let municipalities = srv.url("/collections/municipalities/items");
    let header_key = [("x-api-key", planner.as_str())];
    assert!(!allow(c, &municipalities, &header_key)
        .await
        .contains("POST"));
    // POST without a key: 401; with the planner key in Tunis: 201 + Location
    let body = feature(
        json!({"title_fr": "Réhabilitation du marché central", "status": "planned", "budget_tnd": 1250000.5, "theme": "urban_development"}),
        10.1815,
        36.8065,
    );
    let me = Some(planner.as_str());
    let post = (&Method::POST, items.as_str());
    let r = write(c, post, None, &[], (GEOJSON, body.to_string())).await;
    assert_eq!(r.status(), 401);
    let r = write(c, post, me, &[], (GEOJSON, body.to_string())).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&items));
    let (s, created) = srv
        .get_json(location.strip_prefix(&srv.base).unwrap())
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        created["properties"]["title_fr"],
        "Réhabilitation du marché central"
    );
    assert_eq!(created["properties"]["status_fr"], "Programmé");
    assert_eq!(created["properties"]["budget_tnd"], 1250000.5);
    assert_eq!(created["geometry"]["type"], "MultiPoint");
    let id = created["id"].as_i64().unwrap();
    // OPTIONS on the item: PUT, PATCH, DELETE for the planner; not for another partner
    let item = format!("{items}/{id}");
    let planner_may = allow(c, &item, &[("authorization", &as_planner)]).await;
    assert!(
        ["PUT", "PATCH", "DELETE"]
            .iter()
            .all(|m| planner_may.contains(m)),
        "{planner_may}"
    );
    assert!(!allow(c, &item, &[("authorization", &as_other)])
        .await
        .contains("PATCH"));
    // PATCH merge-patch with the ETag; a stale ETag is 412
    let etag = c.get(&item).send().await.unwrap().headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    let patch = (&Method::PATCH, item.as_str());
    let if_match = [("if-match", etag.as_str())];
    let change = json!({"properties": {"status": "approved", "physical_pct": 10}}).to_string();
    let r = write(c, patch, me, &if_match, (MERGE_PATCH, change)).await;
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    let new_etag = r.headers()["etag"].to_str().unwrap().to_string();
    assert_ne!(new_etag, etag);
    let stale = json!({"properties": {"theme": "water"}}).to_string();
    let r = write(c, patch, me, &if_match, (MERGE_PATCH, stale)).await;
    assert_eq!(r.status(), 412);
    let (_, got) = srv.get_json(item.strip_prefix(&srv.base).unwrap()).await;
    assert_eq!(got["properties"]["status"], "approved");
    assert_eq!(got["properties"]["physical_pct"], 10.0);
    // the stored feature (migration 0031) followed the API's writes
    let drift: i64 = db.scalar(crate::features_stored::DRIFT, ()).await;
    assert_eq!(drift, 0, "after POST and PATCH");
    assert_eq!(
        got["properties"]["title_fr"],
        "Réhabilitation du marché central"
    );
    // validation: 422 with what is wrong; another partner: 403; a location outside the planner's municipality: 403
    for (who, properties, status, says) in [
        (
            &planner,
            json!({"status": "dreaming"}),
            422,
            Some("planned"),
        ),
        (&planner, json!({"nope": 1}), 422, None),
        (&other_partner, json!({"theme": "x"}), 403, None),
    ] {
        let change = json!({ "properties": properties }).to_string();
        let r = write(c, patch, Some(who), &[], (MERGE_PATCH, change)).await;
        assert_eq!(r.status(), status, "{properties}");
        if let Some(says) = says {
            assert!(r.text().await.unwrap().contains(says), "{properties}");
        }
    }
    let sfax = feature(json!({"title_fr": "x"}), 10.76, 34.74).to_string();
    let r = write(c, post, me, &[], (GEOJSON, sfax)).await;
    assert_eq!(r.status(), 403);
    let bad = json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": ["a"]}, "properties": {}});
    let r = write(c, post, me, &[], (GEOJSON, bad.to_string())).await;
    assert_eq!(r.status(), 400);
    // PUT in EPSG:22391 through Content-Crs
    let (x, y): (f64, f64) = sqlx::query_as("SELECT ST_X(g), ST_Y(g) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(10.182, 36.807), 4326), 22391) g) s").fetch_one(&db.pool).await.unwrap();
    let put = feature(
        json!({"code": "MK-TEST-1", "title_fr": "Marché central", "status": "financed"}),
        x,
        y,
    );
    let content_crs = format!("<{EPSG22391}>");
    let crs = [("content-crs", content_crs.as_str())];
    let put_to = (&Method::PUT, item.as_str());
    let r = write(c, put_to, me, &crs, (GEOJSON, put.to_string())).await;
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    let (_, got) = srv.get_json(item.strip_prefix(&srv.base).unwrap()).await;
    assert_eq!(got["properties"]["code"], "MK-TEST-1");
    assert!(got["properties"]["budget_tnd"].is_null(), "PUT replaces");
    let lon = got["geometry"]["coordinates"][0][0].as_f64().unwrap();
    assert!((lon - 10.182).abs() < 1e-6, "{lon}");
    // DELETE, then 404; the history has every step with its author
    let r = c.delete(&item).bearer_auth(&planner).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(srv.status(item.strip_prefix(&srv.base).unwrap()).await, 404);
    let drift: i64 = db.scalar(crate::features_stored::DRIFT, ()).await;
    assert_eq!(drift, 0, "after PUT and DELETE");
    let kinds: Vec<(String, String)> = db
        .rows(
            "SELECT kind, author FROM project_event WHERE project_id = $1 ORDER BY id",
            (id,),
        )
        .await;
    let k: Vec<&str> = kinds.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        k,
        vec!["created", "status", "progress", "status", "deleted"]
    );
    assert!(
        kinds.iter().all(|(_, a)| a.starts_with("key:")),
        "{kinds:?}"
    );
    // read-only collections
    let to_municipalities = (&Method::POST, municipalities.as_str());
    let r = write(c, to_municipalities, me, &[], (GEOJSON, "{}".into())).await;
    assert_eq!(r.status(), 405);
}

#[tokio::test]
async fn non_public_project_is_invisible_to_anonymous_readers() {
    let (db, srv) = common::sample_server().await;
    let (id, code): (i64, String) = sqlx::query_as("UPDATE project SET is_public = false WHERE id = (SELECT min(id) FROM project) RETURNING id, code").fetch_one(&db.pool).await.unwrap();
    let total: i64 = db.scalar("SELECT count(*) FROM project", ()).await;
    let (_, body) = srv.get_json("/collections/projects/items?limit=1000").await;
    assert_eq!(body["numberMatched"].as_i64().unwrap(), total - 1);
    assert!(common::items(&body["features"]).all(|f| f["id"] != json!(id)));
    assert_eq!(
        srv.status(&format!("/collections/projects/items/{id}"))
            .await,
        404
    );
    let (_, body) = srv
        .get_json(&format!("/collections/projects/items?code={code}"))
        .await;
    assert_eq!(body["numberMatched"], 0);
    let (_, body) = srv
        .get_json(&format!(
            "/collections/projects/items?filter={}",
            enc(&format!("code = '{code}'"))
        ))
        .await;
    assert_eq!(body["numberMatched"], 0);
    let r = srv
        .client
        .get(srv.url("/collections/projects/items?f=csv&limit=1000"))
        .send()
        .await
        .unwrap();
    assert!(!r.text().await.unwrap().contains(&code));
    // the owning partner and an admin see it; another partner does not
    let wb = key(&db, "partner", &[], Some("world-bank")).await;
    let admin = key(&db, "admin", &[], None).await;
    let undp = key(&db, "partner", &[], Some("undp")).await;
    for (k, seen) in [(&wb, true), (&admin, true), (&undp, false)] {
        let r = srv
            .client
            .get(srv.url(&format!("/collections/projects/items/{id}")))
            .header("x-api-key", k)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status() == 200, seen);
        let r = srv
            .client
            .get(srv.url(&format!(
                "/collections/projects/items?code={code}&api_key={k}"
            )))
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["numberMatched"] == 1, seen);
    }
}

/// Anonymous answers are cached (the same `timeStamp` comes back) and dropped by any change, also
/// one made directly in SQL; answers to a key holder are never cached.
#[tokio::test]
async fn cached_answers_follow_edits_made_in_sql() {
    let (db, srv) = common::sample_server().await;
    let page = "/collections/projects/items?limit=5";
    // the cache starts once its listener is connected: wait until an answer comes back cached
    let mut first = Value::Null;
    for _ in 0..10 {
        let (s, a) = srv.get_json(page).await;
        assert_eq!(s, 200, "{a}");
        // timeStamp has whole seconds
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let (_, b) = srv.get_json(page).await;
        if a["timeStamp"] == b["timeStamp"] {
            first = b;
            break;
        }
    }
    assert!(first.is_object(), "anonymous answers are cached");
    let matched = first["numberMatched"].as_i64().unwrap();
    let id = first["features"][0]["id"].clone();
    let id_num = id
        .as_i64()
        .or_else(|| id.as_str().and_then(|s| s.parse().ok()))
        .unwrap();

    // a title edited in SQL, and a new public project without any location (it draws no tile)
    db.exec(
        "UPDATE project SET title_fr = 'Titre modifié en SQL' WHERE id = $1",
        (id_num,),
    )
    .await;
    db.exec(
        "INSERT INTO project (code, title_fr, project_type, theme, status, is_public)
         VALUES ('CACHE-1', 'Sans localisation', 'building', 'education', 'planned', true)",
        (),
    )
    .await;
    let mut now = Value::Null;
    for _ in 0..100 {
        let (_, b) = srv.get_json(page).await;
        if b["features"][0]["properties"]["title_fr"] == "Titre modifié en SQL" {
            now = b;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(now.is_object(), "the edit shows up");
    assert_eq!(now["numberMatched"].as_i64(), Some(matched + 1), "{now}");

    // with a key: fresh every time
    let admin = key(&db, "admin", &[], None).await;
    let mut stamps = BTreeSet::new();
    for _ in 0..2 {
        let r = srv.get_as(page, &admin).await;
        let v: Value = r.json().await.unwrap();
        stamps.insert(v["timeStamp"].as_str().unwrap().to_string());
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    }
    assert_eq!(stamps.len(), 2, "answers to a key holder are not cached");
}
