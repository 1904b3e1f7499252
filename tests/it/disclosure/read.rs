//! Reading every public output of a location and the coordinates in it (tests/it/disclosure.rs).
use crate::common;

use common::{TestDb, TestServer};
use mvt_reader::{feature::Value, Reader};
use reqwest::Method;
use serde_json::json;

/// The location under test: a public project's only location, a point (exact or approximate).
pub struct Loc {
    pub id: i64,
    pub project_id: i64,
    pub code: String,
    pub municipality: String,
    pub lon: f64,
    pub lat: f64,
}

pub async fn pick(db: &TestDb) -> Loc {
    let (id, project_id, code, municipality, lon, lat): (i64, i64, String, String, f64, f64) =
        sqlx::query_as(
            "SELECT l.id, p.id, p.code, a.unit_code, ST_X(l.geom), ST_Y(l.geom)
             FROM project_location l JOIN project p ON p.id = l.project_id
             JOIN location_assignment a ON a.location_id = l.id AND a.level = 'municipality' AND a.valid_to IS NULL
             JOIN admin_unit u ON u.code = a.unit_code AND u.level = 'municipality' AND u.valid_to IS NULL
             WHERE p.is_public AND l.precision IN ('exact', 'approximate') AND GeometryType(l.geom) = 'POINT'
               AND (SELECT count(*) FROM project_location o WHERE o.project_id = p.id) = 1
               AND ST_Area(u.geom::geography) > 30e6
             ORDER BY l.id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .expect("a public project with one exact point in a large enough municipality");
    Loc {
        id,
        project_id,
        code,
        municipality,
        lon,
        lat,
    }
}

/// Metres between two lon/lat points (spherical; enough for 500 m against 1 m).
pub fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2) = (a.1.to_radians(), b.1.to_radians());
    let dla = la2 - la1;
    let dlo = (b.0 - a.0).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

/// Every lon/lat pair in a text, in either order: two consecutive decimal numbers that fall in
/// Tunisia's box (what an attacker would read off any output).
pub fn coords_in(text: &str) -> Vec<(f64, f64)> {
    let mut nums = Vec::new();
    let mut cur = String::new();
    // a number right after ':' is the seconds of a time (12:45:34.823474), never a coordinate
    let (mut before, mut prev) = (' ', ' ');
    for ch in text.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_digit() || ch == '.' || (ch == '-' && cur.is_empty()) {
            if cur.is_empty() {
                before = prev;
            }
            cur.push(ch);
        } else {
            if cur.contains('.') && before != ':' {
                nums.push(cur.parse::<f64>().unwrap_or(f64::NAN));
            }
            cur.clear();
        }
        prev = ch;
    }
    let lon = |v: f64| (7.0..12.0).contains(&v);
    let lat = |v: f64| (30.0..38.0).contains(&v);
    nums.windows(2)
        .filter_map(|w| match (w[0], w[1]) {
            (a, b) if lon(a) && lat(b) => Some((a, b)),
            (a, b) if lat(a) && lon(b) => Some((b, a)),
            _ => None,
        })
        .collect()
}

/// The project's features of the `projects` tile (z 14) around `at`, as lon/lat points.
pub async fn tile_coords(
    srv: &TestServer,
    key: Option<&str>,
    code: &str,
    at: (f64, f64),
) -> Vec<(f64, f64)> {
    let z = 14u8;
    let (tx, ty) = common::tile_of(at.0, at.1, z);
    let r = srv
        .get_with(&format!("/tiles/projects/{z}/{tx}/{ty}.pbf"), key)
        .await;
    assert!(
        matches!(r.status().as_u16(), 200 | 204),
        "tile: {}",
        r.status()
    );
    let body = r.bytes().await.unwrap();
    if body.is_empty() {
        return vec![];
    }
    let extent = f64::from(mokhattat::tiles::source::extent(z));
    let n = f64::from(1u32 << z);
    let reader = Reader::new(body.to_vec()).expect("a valid vector tile");
    let mut out = vec![];
    for (i, _) in reader.get_layer_names().unwrap().iter().enumerate() {
        for f in reader.get_features(i).unwrap() {
            let props = f.properties.unwrap_or_default();
            if !matches!(props.get("code"), Some(Value::String(c)) if c == code) {
                continue;
            }
            use geo::CoordsIter;
            for c in f.geometry.coords_iter() {
                let lon = (f64::from(tx) + f64::from(c.x) / extent) / n * 360.0 - 180.0;
                let my = std::f64::consts::PI
                    * (1.0 - 2.0 * (f64::from(ty) + f64::from(c.y) / extent) / n);
                out.push((lon, my.sinh().atan().to_degrees()));
            }
        }
    }
    out
}

pub async fn text(srv: &TestServer, path: &str, key: Option<&str>) -> String {
    let r = srv.get_with(path, key).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().await.unwrap()
}

/// The coordinates of the project's GeoPackage download, as `ogrinfo` reads them.
pub async fn gpkg_text(srv: &TestServer, code: &str) -> String {
    let r = srv
        .get(&format!("/collections/projects/items?f=gpkg&code={code}"))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let path = common::tmp_dir().join(format!("disclosure-{}-{code}.gpkg", std::process::id()));
    std::fs::write(&path, r.bytes().await.unwrap()).unwrap();
    let ogrinfo = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .arg(&path)
        .output();
    let text = common::ok_stdout(&ogrinfo.expect("ogrinfo"));
    std::fs::remove_file(&path).ok();
    text
}

/// Every public output about the location, anonymous: (output name, coordinates found).
pub async fn public_outputs(
    srv: &TestServer,
    l: &Loc,
    public_at: Option<(f64, f64)>,
) -> Vec<(String, Vec<(f64, f64)>)> {
    let pid = l.project_id;
    let code = &l.code;
    let mut out = vec![];
    for (name, path) in [
        (
            "features item",
            format!("/collections/projects/items/{pid}?f=json"),
        ),
        (
            "features items",
            format!("/collections/projects/items?code={code}&f=json"),
        ),
        (
            "csv",
            format!("/collections/projects/items?code={code}&f=csv"),
        ),
        (
            "html item",
            format!("/collections/projects/items/{pid}?f=html"),
        ),
        (
            "html items",
            format!("/collections/projects/items?code={code}&f=html"),
        ),
        (
            "conformity",
            format!("/collections/conformity/items?project_code={code}&f=json"),
        ),
        ("iati", format!("/api/iati/activities.xml?project={code}")),
        ("context", format!("/api/projects/{code}/context")),
    ] {
        out.push((name.to_string(), coords_in(&text(srv, &path, None).await)));
    }
    out.push(("gpkg".into(), coords_in(&gpkg_text(srv, code).await)));
    out.push(("diagnosis sheet".into(), sheet_dots(srv, l).await));
    let mut tiles = tile_coords(srv, None, code, (l.lon, l.lat)).await;
    if let Some(p) = public_at {
        tiles.extend(tile_coords(srv, None, code, p).await);
    }
    out.push(("tiles".into(), tiles));
    out
}

/// The project's dots on its municipality's diagnosis sheet map (EPSG:3857, y negated), as lon/lat.
pub async fn sheet_dots(srv: &TestServer, l: &Loc) -> Vec<(f64, f64)> {
    let path = format!("/api/units/municipality/{}/diagnosis", l.municipality);
    let (status, sheet) = common::send(srv, Method::GET, &path, None, None).await;
    assert_eq!(status, 200, "{sheet}");
    let r = 6_378_137.0_f64;
    sheet["map"]["projects"]
        .as_array()
        .expect("the sheet's project dots")
        .iter()
        .filter(|d| d[2] == l.code.as_str())
        .map(|d| {
            let (x, y) = (d[0].as_f64().unwrap(), -d[1].as_f64().unwrap());
            ((x / r).to_degrees(), (y / r).sinh().atan().to_degrees())
        })
        .collect()
}

pub async fn set_level(srv: &TestServer, admin: &str, code: &str, level: &str) {
    let (status, body) = common::send(
        srv,
        Method::PUT,
        &format!("/api/projects/{code}/disclosure"),
        Some(admin),
        Some(json!({"disclosure": level})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["locations"][0]["disclosure"], level, "{body}");
}

/// Wait until the cached features answer shows the new public geometry: the cache is dropped by
/// a notification, which arrives a moment after the change committed.
pub async fn settled(srv: &TestServer, l: &Loc, public: Option<(f64, f64)>) {
    let item = format!("/collections/projects/items/{}?f=json", l.project_id);
    for _ in 0..100 {
        let seen = coords_in(&text(srv, &item, None).await);
        let want = public.map(|p| vec![p]).unwrap_or_default();
        if seen.len() == want.len() && seen.iter().zip(&want).all(|(a, b)| metres(*a, *b) < 0.1) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the features answer never showed the new public geometry {public:?}");
}

pub async fn public_point(db: &TestDb, id: i64) -> Option<(f64, f64)> {
    sqlx::query_as("SELECT ST_X(public_geom), ST_Y(public_geom) FROM project_location WHERE id = $1 AND public_geom IS NOT NULL")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .unwrap()
}

pub async fn unit_point(db: &TestDb, code: &str) -> (f64, f64) {
    db.row(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM admin_unit
         WHERE level = 'municipality' AND code = $1 AND valid_to IS NULL) q",
        (code,),
    )
    .await
}

/// Check every output against what `level` allows; the table of findings on failure.
pub fn check(
    level: &str,
    truth: (f64, f64),
    unit: (f64, f64),
    outputs: &[(String, Vec<(f64, f64)>)],
) {
    let mut bad = vec![];
    for (name, coords) in outputs {
        let nearest = coords
            .iter()
            .map(|c| metres(*c, truth))
            .fold(f64::INFINITY, f64::min);
        let ok = match level {
            "exact" => nearest < 2.0 || (coords.is_empty() && name.starts_with("html")),
            "displaced" => coords
                .iter()
                .all(|c| (490.0..2_010.0).contains(&metres(*c, truth))),
            "unit" => coords.iter().all(|c| metres(*c, unit) < 5.0),
            _ => coords.is_empty(),
        };
        // the outputs that carry coordinates must show the location unless withheld (else the test
        // proves nothing); the HTML pages name the geometry's kind only, and must stay so
        let shown = level == "withheld" || !coords.is_empty() || name.starts_with("html");
        if !ok || !shown {
            bad.push(format!(
                "{level} {name}: nearest {nearest:.1} m, {coords:?}"
            ));
        }
    }
    assert!(bad.is_empty(), "disclosure leaks:\n{}", bad.join("\n"));
}

/// The IATI file of the project validates and its location codes say what the level left.
pub async fn iati_codes(srv: &TestServer, l: &Loc, level: &str) {
    let xml = text(
        srv,
        &format!("/api/iati/activities.xml?project={}", l.code),
        None,
    )
    .await;
    let dir = common::scratch("disclosure-");
    crate::iati::validate(&xml, dir.path(), &format!("{level}.xml"));
    let has = |s: &str| xml.contains(s);
    let unit = format!(
        "<administrative vocabulary=\"A1\" level=\"4\" code=\"{}\"/>",
        l.municipality
    );
    let ok = match level {
        "exact" => has("<location ") && !has("<administrative"),
        "displaced" => has("<exactness code=\"2\"/>") && has("<location-class code=\"2\"/>"),
        "unit" => {
            has(&unit) && has("<location-class code=\"1\"/>") && has("<exactness code=\"2\"/>")
        }
        _ => !has("<location ") && !has("<pos>"),
    };
    assert!(ok, "IATI at level {level}:\n{xml}");
}
