//! IATI 2.03 out and in (docs/iati.md), against real PostGIS, real HTTP, the real binary and real
//! xmllint with the vendored XSD; codes checked against the vendored codelists parsed here.
use crate::common;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    process::Command,
};

use mokhattat::iati::{self, IatiError};
use quick_xml::{events::Event, Reader};
use sqlx::PgPool;

fn iati_dir() -> PathBuf {
    common::root().join("../shared/data/iati")
}

/// xmllint against the vendored 2.03 XSD, offline.
pub(crate) fn validate(xml: &str, dir: &Path, name: &str) {
    let file = dir.join(name);
    std::fs::write(&file, xml).unwrap();
    let xsd = iati_dir().join("schema-2.03/iati-activities-schema.xsd");
    common::run_ok(
        Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema"])
            .arg(&xsd)
            .arg(&file),
        &format!("xmllint (libxml2-utils) validating {name}"),
    );
}

/// Every `(element, attribute, value)` of a document, plus the element names.
fn attributes(xml: &str) -> Vec<(String, String, String)> {
    let mut r = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                for a in e.attributes() {
                    let a = a.unwrap();
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned();
                    out.push((name.clone(), a.key.as_ref().to_string(), v));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The codes of a vendored codelist (`codelist-item/code`).
fn codelist(name: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(iati_dir().join(format!("codelists/{name}.xml"))).unwrap();
    let mut r = Reader::from_str(&text);
    let (mut path, mut codes) = (Vec::<String>::new(), BTreeSet::new());
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) => path.push(e.name().as_ref().to_string()),
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) if path.ends_with(&["codelist-item".into(), "code".into()]) => {
                codes.insert(t.xml10_content().trim().to_string());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(!codes.is_empty(), "codelist {name} is empty");
    codes
}

/// Every coded attribute of an export is on its codelist.
fn check_codes(xml: &str) {
    let lists: BTreeMap<(&str, &str), &str> = [
        (("activity-status", "code"), "ActivityStatus"),
        (("activity-date", "type"), "ActivityDateType"),
        (("reporting-org", "type"), "OrganisationType"),
        (("participating-org", "role"), "OrganisationRole"),
        (("participating-org", "type"), "OrganisationType"),
        (("recipient-country", "code"), "Country"),
        (("sector", "vocabulary"), "SectorVocabulary"),
        (("sector", "code"), "Sector"),
        (("location-reach", "code"), "GeographicLocationReach"),
        (("administrative", "vocabulary"), "GeographicVocabulary"),
        (("exactness", "code"), "GeographicExactness"),
        (("location-class", "code"), "GeographicLocationClass"),
        (("budget", "type"), "BudgetType"),
        (("budget", "status"), "BudgetStatus"),
        (("value", "currency"), "Currency"),
        (("iati-activity", "default-currency"), "Currency"),
        (("transaction-type", "code"), "TransactionType"),
        (("narrative", "xml:lang"), "Language"),
        (("iati-activity", "xml:lang"), "Language"),
    ]
    .into_iter()
    .collect();
    let loaded: BTreeMap<&str, BTreeSet<String>> =
        lists.values().map(|n| (*n, codelist(n))).collect();
    let mut checked = 0;
    for (el, attr, v) in attributes(xml) {
        if let Some(list) = lists.get(&(el.as_str(), attr.as_str())) {
            assert!(
                loaded[list].contains(&v),
                "<{el} {attr}=\"{v}\"> is not on codelist {list}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

fn count(xml: &str, element: &str) -> usize {
    xml.matches(&format!("<{element}>")).count() + xml.matches(&format!("<{element} ")).count()
}

async fn visible_projects(pool: &PgPool, extra: &str) -> usize {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM project p WHERE mk_project_visible(p.id, p.is_public, p.partner, false, NULL, '{{}}') {extra}"
    ))
    .fetch_one(pool)
    .await
    .unwrap();
    n as usize
}

/// What the import may change, as one digest (the import log `import_run` aside).
async fn fingerprint(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "SELECT md5(coalesce((SELECT string_agg(p::text, '|' ORDER BY p.id) FROM project p), '')
                 || coalesce((SELECT string_agg((l.id, l.project_id, l.source_id, l.precision, l.place_name, l.unit_code, ST_AsEWKT(l.geom))::text, '|' ORDER BY l.id) FROM project_location l), '')
                 || coalesce((SELECT string_agg(f::text, '|' ORDER BY f.id) FROM funding_line f), '')
                 || coalesce((SELECT string_agg((a.project_id, a.identifier, a.reporting_ref)::text, '|' ORDER BY a.project_id) FROM iati_activity a), '')
                 || (SELECT count(*) FROM project_event)::text)",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// `GET /api/iati/activities.xml<query>` (`query` empty or starting with `?`): status and text.
async fn activities(srv: &common::TestServer, query: &str, key: Option<&str>) -> (u16, String) {
    let resp = srv
        .get_with(&format!("/api/iati/activities.xml{query}"), key)
        .await;
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

/// The sample database without any project: the same boundaries, nothing to publish.
/// `mokhattat import FILE --as iati --default partner=PARTNER` on `db`, which must succeed: its
/// report (stdout) and its log (stderr).
async fn import_iati(db: &common::TestDb, file: &Path, partner: &str) -> (String, String) {
    let partner = format!("partner={partner}");
    let args = [
        "import",
        file.to_str().unwrap(),
        "--as",
        "iati",
        "--default",
        &partner,
    ];
    let out = common::cli(db, &args).await;
    let report = common::ok_stdout(&out);
    (report, String::from_utf8_lossy(&out.stderr).into_owned())
}

async fn boundaries_only() -> common::TestDb {
    let db = common::sample_db().await;
    db.exec("DELETE FROM project", ()).await;
    db
}

#[tokio::test]
async fn exports_validate_and_use_codelist_codes() {
    let db = common::sample_db().await;
    let srv = common::serve(db.pool.clone()).await;
    let dir = common::scratch("iati-");

    let (status, all) = activities(&srv, "", None).await;
    assert_eq!(status, 200, "{all}");
    validate(&all, dir.path(), "all.xml");
    check_codes(&all);
    assert_eq!(
        count(&all, "iati-activity"),
        visible_projects(&db.pool, "").await
    );
    assert!(all.contains("<pos>"), "sample locations carry points");
    assert!(
        all.contains("<administrative "),
        "sample unit-level locations carry their unit"
    );
    assert!(
        all.contains("<transaction>"),
        "funding lines are commitments"
    );

    // a partner's portfolio
    let (status, wb) = activities(&srv, "?funder=world-bank", None).await;
    assert_eq!(status, 200);
    validate(&wb, dir.path(), "partner.xml");
    check_codes(&wb);
    assert_eq!(
        count(&wb, "iati-activity"),
        visible_projects(&db.pool, "AND (p.partner = 'world-bank' OR EXISTS (SELECT 1 FROM funding_line f WHERE f.project_id = p.id AND f.funder = 'world-bank'))").await
    );

    // a commune: the one with most assigned projects
    let commune: String = db.scalar("SELECT unit_code FROM location_assignment WHERE level = 'municipality' AND valid_to IS NULL
         AND unit_code IS NOT NULL GROUP BY 1 ORDER BY count(DISTINCT project_id) DESC, 1 LIMIT 1", ()).await;
    let (status, one) = activities(&srv, &format!("?municipality={commune}"), None).await;
    assert_eq!(status, 200);
    validate(&one, dir.path(), "commune.xml");
    check_codes(&one);
    let expected = visible_projects(&db.pool, &format!(
        "AND EXISTS (SELECT 1 FROM location_assignment a WHERE a.project_id = p.id AND a.level = 'municipality' AND a.valid_to IS NULL AND a.unit_code = '{commune}')"
    )).await;
    assert!(expected > 0);
    assert_eq!(count(&one, "iati-activity"), expected);

    // one project, through the command line; identifiers do not change from one export to the next
    let code: String = db
        .scalar("SELECT code FROM project ORDER BY code LIMIT 1", ())
        .await;
    let file = dir.path().join("one.xml");
    let path = file.to_str().unwrap();
    common::ok_stdout(&common::cli(&db, &["export", "iati", "--project", &code, "-o", path]).await);
    let cli = std::fs::read_to_string(&file).unwrap();
    validate(&cli, dir.path(), "project.xml");
    assert_eq!(count(&cli, "iati-activity"), 1);
    let identifier: String = db.scalar("SELECT a.identifier FROM iati_activity a JOIN project p ON p.id = a.project_id WHERE p.code = $1", (&code,)).await;
    assert!(cli.contains(&format!("<iati-identifier>{identifier}</iati-identifier>")));
    // a changed reporting-org ref applies to new activities only
    db.exec("UPDATE iati_reporting_org SET ref = 'XX-CHANGED'", ())
        .await;
    let (_, again) = activities(&srv, &format!("?project={code}"), None).await;
    assert!(again.contains(&format!("<iati-identifier>{identifier}</iati-identifier>")));

    // bad parameters: 400, an unknown project: 404
    let (status, _) = activities(&srv, "?projet=x", None).await;
    assert_eq!(status, 400);
    let (status, _) = activities(&srv, "?project=NO-SUCH", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_project_that_is_not_public_stays_out_of_the_public_export() {
    let db = common::sample_db().await;
    let (code, partner): (String, String) = sqlx::query_as(
        "UPDATE project SET is_public = false, partner = 'secret-partner'
         WHERE id = (SELECT min(id) FROM project) RETURNING code, partner",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let srv = common::serve(db.pool.clone()).await;
    let needle = format!("-{code}</iati-identifier>");
    let (_, public) = activities(&srv, "", None).await;
    assert!(!public.contains(&needle));
    assert_eq!(
        count(&public, "iati-activity"),
        visible_projects(&db.pool, "").await
    );
    let (status, _) = activities(&srv, &format!("?project={code}"), None).await;
    assert_eq!(status, 404);
    let public = common::ok_stdout(&common::cli(&db, &["export", "iati"]).await);
    assert!(!public.contains(&needle));
    // its partner's key sees it, another partner's does not
    let own = common::key(&db, "partner", &[], Some(&partner)).await;
    let other = common::key(&db, "partner", &[], Some("someone-else")).await;
    let (status, mine) = activities(&srv, &format!("?funder={partner}"), Some(&own)).await;
    assert_eq!(status, 200);
    assert!(mine.contains(&needle));
    validate(&mine, common::scratch("iati-").path(), "own.xml");
    let (_, theirs) = activities(&srv, "", Some(&other)).await;
    assert!(!theirs.contains(&needle));
}

const REF: &str = "XM-TEST";

/// A hostile file: what it is, its text, the error it must give.
type Case = (&'static str, String, fn(&IatiError) -> bool);

fn activity_file(status: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity xml:lang="fr" default-currency="TND">
    <iati-identifier>{REF}-A1</iati-identifier>
    <reporting-org ref="{REF}" type="40"><narrative>Test Bank</narrative></reporting-org>
    <title><narrative xml:lang="ar">مشروع</narrative><narrative>Projet &amp; test</narrative><narrative xml:lang="en">Project</narrative></title>
    <description type="1"><narrative>Adduction d'eau</narrative></description>
    <participating-org role="1"><narrative>Test Bank</narrative></participating-org>
    <activity-status code="{status}"/>
    <activity-date iso-date="2024-01-15" type="1"/>
    <activity-date iso-date="2026-12-31" type="3"/>
    <location ref="site">
      <location-reach code="1"/>
      <name><narrative>Station</narrative></name>
      <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>36.8 10.18</pos></point>
      <exactness code="1"/>
      <location-class code="3"/>
    </location>
    <location ref="gov">
      <administrative vocabulary="A1" level="1" code="11"/>
      <exactness code="2"/>
      <location-class code="1"/>
    </location>
    <location ref="commune">
      <administrative vocabulary="A1" level="4" code="1111"/>
      <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>36.79 10.17</pos></point>
      <exactness code="2"/>
      <location-class code="1"/>
    </location>
    <location ref="near">
      <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>36.7 10.1</pos></point>
      <exactness code="2"/>
      <location-class code="2"/>
    </location>
    <sector vocabulary="1" code="14021"/>
    <budget type="1" status="1"><period-start iso-date="2024-01-15"/><period-end iso-date="2026-12-31"/><value currency="TND" value-date="2024-01-15">1500000.5</value></budget>
    <transaction><transaction-type code="2"/><transaction-date iso-date="2024-01-15"/><value currency="TND" value-date="2024-01-15">1000000</value><provider-org><narrative>Test Bank</narrative></provider-org></transaction>
    <transaction><transaction-type code="2"/><transaction-date iso-date="2024-01-15"/><value currency="USD" value-date="2024-01-15">300</value></transaction>
  </iati-activity>
</iati-activities>
"#
    )
}

#[tokio::test]
async fn import_keeps_precisions_is_idempotent_and_refuses_hostile_files() {
    let db = boundaries_only().await;
    let dir = common::scratch("iati-");
    validate(&activity_file("2"), dir.path(), "input.xml");
    let file = dir.path().join("input.xml");
    let (report, _) = import_iati(&db, &file, "test-bank").await;
    assert!(report.contains("1 created"), "{report}");
    assert!(
        report.contains("only TND amounts"),
        "the USD commitment is reported: {report}"
    );

    let locs: Vec<(String, String, Option<String>, bool)> = db.rows("SELECT l.source_id, l.precision, l.unit_code,
                CASE WHEN l.unit_code IS NULL THEN true
                     ELSE ST_Intersects(l.geom, (SELECT u.geom FROM admin_unit u WHERE u.level = l.precision AND u.code = l.unit_code AND u.valid_to IS NULL)) END
         FROM project_location l JOIN project p ON p.id = l.project_id WHERE p.code = 'A1' ORDER BY 1", ()).await;
    assert_eq!(
        locs,
        vec![
            (
                "commune".into(),
                "municipality".into(),
                Some("1111".into()),
                true
            ),
            ("gov".into(), "governorate".into(), Some("11".into()), true),
            ("near".into(), "approximate".into(), None, true),
            ("site".into(), "exact".into(), None, true),
        ]
    );
    let (lon, lat): (f64, f64) = sqlx::query_as(
        "SELECT ST_X(geom), ST_Y(geom) FROM project_location WHERE source_id = 'site'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((lat, lon), (36.8, 10.18), "pos is \"lat lon\"");
    let (title_ar, title_fr, partner, theme, status, budget, partner_ok): (String, String, String, String, i32, String, bool) = sqlx::query_as(
        "SELECT p.title_ar, p.title_fr, p.partner, p.theme, s.iati_code, p.budget_tnd::text, p.partner = 'test-bank'
         FROM project p JOIN project_status s USING (status) WHERE p.code = 'A1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        (title_ar.as_str(), title_fr.as_str()),
        ("مشروع", "Projet & test")
    );
    assert!(partner_ok, "{partner}");
    let mapped: String = db
        .scalar("SELECT theme FROM iati_sector WHERE dac_code = '14021'", ())
        .await;
    assert_eq!(theme, mapped);
    assert_eq!(status, 2);
    assert_eq!(budget, "1500000.500");
    let lines: Vec<(Option<String>, String)> =
        db.rows("SELECT funder, amount_tnd::text FROM funding_line f JOIN project p ON p.id = f.project_id WHERE p.code = 'A1'", ()).await;
    assert_eq!(
        lines,
        vec![(Some("Test Bank".into()), "1000000.000".into())]
    );

    // twice: nothing changes
    let before = fingerprint(&db.pool).await;
    let again = iati::import_xml(
        &db.pool,
        &activity_file("2"),
        "again",
        Some("test-bank"),
        false,
    )
    .await
    .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 1));
    assert_eq!(fingerprint(&db.pool).await, before);
    // a changed status updates the matching project, by identifier
    let changed = iati::import_xml(
        &db.pool,
        &activity_file("4"),
        "changed",
        Some("test-bank"),
        false,
    )
    .await
    .unwrap();
    assert_eq!((changed.created, changed.updated), (0, 1));
    let before = fingerprint(&db.pool).await;

    // hostile files: a clear error, nothing written
    let good = activity_file("2");
    let bomb = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>\n{}",
        good.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "").replace("Station", "&lol3;")
    );
    let cases: Vec<Case> = vec![
        ("truncated", good[..good.len() / 2].to_string(), |e| {
            matches!(e, IatiError::Malformed(_))
        }),
        ("entity expansion", bomb, |e| {
            matches!(e, IatiError::Malformed(_))
        }),
        (
            "wrong root",
            "<iati-organisations version=\"2.03\"/>".into(),
            |e| matches!(e, IatiError::Content(_)),
        ),
        ("unknown status", activity_file("9"), |e| {
            matches!(e, IatiError::Content(_))
        }),
        (
            "unknown transaction type",
            good.replace(
                "<transaction-type code=\"2\"/>",
                "<transaction-type code=\"99\"/>",
            ),
            |e| matches!(e, IatiError::Content(_)),
        ),
        ("not XML", "{\"type\": \"FeatureCollection\"}".into(), |e| {
            matches!(e, IatiError::Malformed(_) | IatiError::Content(_))
        }),
    ];
    for (what, text, expected) in &cases {
        let err = iati::import_xml(&db.pool, text, what, None, false)
            .await
            .expect_err(what);
        assert!(expected(&err), "{what}: {err:?}");
        assert!(!err.to_string().is_empty());
        assert_eq!(
            fingerprint(&db.pool).await,
            before,
            "{what} changed the database"
        );
    }

    // the admin endpoint: admin only, hostile files are 4xx with a reason
    let srv = common::serve(db.pool.clone()).await;
    let admin = common::key(&db, "admin", &[], None).await;
    let partner = common::key(&db, "partner", &[], Some("test-bank")).await;
    let post = |key: Option<String>, body: String| {
        let mut r = srv
            .client
            .post(srv.url("/api/iati/import?partner=test-bank"))
            .header("content-type", "application/xml")
            .body(body);
        if let Some(k) = key {
            r = r.bearer_auth(k);
        }
        r.send()
    };
    assert_eq!(
        post(None, good.clone()).await.unwrap().status().as_u16(),
        401
    );
    assert_eq!(
        post(Some(partner), good.clone())
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    for (what, text, _) in &cases {
        let resp = post(Some(admin.clone()), text.clone()).await.unwrap();
        let status = resp.status().as_u16();
        let body: serde_json::Value = resp.json().await.unwrap();
        assert!((400..500).contains(&status), "{what}: {status} {body}");
        assert!(
            body["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{what}: {body}"
        );
    }
    // a file over the limit: 413 before anything is read
    let huge = format!("{}{}", good, " ".repeat(iati::MAX_FILE_BYTES));
    let resp = post(Some(admin.clone()), huge).await.unwrap();
    assert_eq!(resp.status().as_u16(), 413);
    assert_eq!(fingerprint(&db.pool).await, before);
    let resp = post(Some(admin.clone()), activity_file("4")).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let report: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(report["unchanged"], 1, "{report}");
    assert_eq!(fingerprint(&db.pool).await, before);
}

#[tokio::test]
async fn export_import_export_gives_the_same_file() {
    let a = common::sample_db().await;
    let dir = common::scratch("iati-");
    let started = std::time::Instant::now();
    let first = iati::export(&a.pool, &Default::default(), &Default::default())
        .await
        .unwrap();
    let export_time = started.elapsed();
    let file = dir.path().join("first.xml");
    std::fs::write(&file, &first).unwrap();

    let b = boundaries_only().await;
    let started = std::time::Instant::now();
    let (_, log) = import_iati(&b, &file, "world-bank").await;
    let import_time = started.elapsed();
    eprintln!(
        "iati round trip: {} activities, {} bytes; export {export_time:?}, import (CLI, whole process) {import_time:?}\n{}",
        count(&first, "iati-activity"),
        first.len(),
        log
    );
    let second = iati::export(&b.pool, &Default::default(), &Default::default())
        .await
        .unwrap();
    if first != second {
        let (fa, fb) = (dir.path().join("a.xml"), dir.path().join("b.xml"));
        std::fs::write(&fa, &first).unwrap();
        std::fs::write(&fb, &second).unwrap();
        let diff = Command::new("diff").arg(&fa).arg(&fb).output().unwrap();
        panic!(
            "round trip differs:\n{}",
            String::from_utf8_lossy(&diff.stdout)
                .chars()
                .take(4000)
                .collect::<String>()
        );
    }
    assert_eq!(
        count(&second, "iati-activity"),
        visible_projects(&a.pool, "").await
    );
}
