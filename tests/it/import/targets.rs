//! Land-use layers and projects.
use super::*;

#[tokio::test]
async fn landuse_layers_zones_and_versions() {
    let db = common::empty_db().await;
    let file = data("boundaries/municipal_perimeters_2014.geojson");
    let base = [
        "--as",
        "landuse",
        "--landuse-slug",
        "perimetres-2014",
        "--landuse-kind",
        "perimeter",
        "--field",
        "id=mun_id",
        "--field",
        "municipality_code=mun_id",
        "--field",
        "label_ar=mun_ar",
        "--field",
        "label_fr=mun_en",
        "--default",
        "class=urban_perimeter_2014",
        "--default",
        "zone_code=PC2014",
    ];
    let s = import(&db.pool, &with(&file, &base)).await;
    assert_eq!((s.read, s.inserted + s.rejected), (264, 264), "{s}");
    let zones = s.inserted;
    let again = import(&db.pool, &with(&file, &base)).await;
    assert_eq!(
        (again.inserted, again.updated, again.unchanged),
        (0, 0, zones),
        "{again}"
    );

    // Filling in the approval date of a layer that had none is not a new version…
    let mut dated = with(&file, &base);
    dated.extend(["--approved-on", "2014-05-01"]);
    let s = import(&db.pool, &dated).await;
    assert_eq!((s.inserted, s.unchanged), (0, zones), "{s}");
    // …a different approval date is: version 2, with its own zones; version 1 is kept.
    let mut revised = with(&file, &base);
    revised.extend([
        "--approved-on",
        "2016-01-01",
        "--landuse-name",
        "Périmètres révisés",
    ]);
    let s = import(&db.pool, &revised).await;
    assert_eq!(s.inserted, zones, "{s}");
    let layers: Vec<(i32, Option<chrono::NaiveDate>, String, String, i64)> = db.rows("SELECT l.version, l.approved_on, l.name, l.kind, count(z.id) FROM landuse_layer l \
         LEFT JOIN landuse_zone z ON z.layer_id = l.id WHERE l.slug = 'perimetres-2014' GROUP BY l.id ORDER BY l.version", ()).await;
    assert_eq!(layers.len(), 2);
    assert_eq!(layers[0].1, chrono::NaiveDate::from_ymd_opt(2014, 5, 1));
    assert_eq!(
        (layers[1].0, layers[1].2.as_str(), layers[1].3.as_str()),
        (2, "Périmètres révisés", "perimeter")
    );
    assert_eq!((layers[0].4, layers[1].4), (zones as i64, zones as i64));
    let muni: String = db
        .scalar(
            "SELECT municipality_code FROM landuse_zone WHERE source_id = '1111' LIMIT 1",
            (),
        )
        .await;
    assert_eq!(muni, "1111");

    // A class outside the national classes is rejected, naming the allowed ones.
    let dir = common::scratch("import-");
    let one = p(dir.path(), "one.geojson");
    ogr2ogr(&["-where", "mun_id = '1116'", &one, &file]);
    let s = import(
        &db.pool,
        &[
            &one,
            "--as",
            "landuse",
            "--landuse-slug",
            "pau-x",
            "--default",
            "class=UA",
            "--default",
            "zone_code=UA",
        ],
    )
    .await;
    assert_eq!(s.rejected, 1, "{s}");
    assert!(
        s.rejections[0]
            .reason
            .contains("\"ua\" is not a land-use class")
            && s.rejections[0].reason.contains("residential"),
        "{s}"
    );
}

const WB_SQL: &str = "SELECT project_id AS code, project_name AS title_en, \
    CASE status WHEN 'Active' THEN 'works_under_way' ELSE 'completed' END AS status, \
    boardapprovaldate AS planned_start, closingdate AS planned_end, major_sectors AS theme, \
    geo_loc_id AS location_id, geo_loc_name AS place_name, \
    CASE WHEN geo_loc_name = 'Republic of Tunisia' THEN 'national' \
         WHEN geo_loc_name LIKE 'Gouvernorat%' THEN 'governorate' ELSE 'exact' END AS precision, \
    'donor_loan' AS funding_kind, 'World Bank' AS funder, curr_total_commitment AS funding_amount, \
    'USD' AS funding_currency, curr_total_commitment * 3 AS funding_amount_tnd, lendinginstr, geometry \
    FROM wb_tunisia_project_locations_2025";

#[tokio::test]
async fn projects_locations_funding_and_events() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let wb = p(dir.path(), "wb.geojson");
    ogr2ogr(&[
        "-dialect",
        "sqlite",
        "-sql",
        WB_SQL,
        &wb,
        &data("projects/world_bank_locations_2025.geojson"),
    ]);
    let s = import(
        &db.pool,
        &[&wb, "--as", "projects", "--source", "World Bank"],
    )
    .await;
    assert_eq!((s.read, s.inserted, s.rejected), (419, 417, 2), "{s}");
    assert!(
        s.rejections
            .iter()
            .all(|r| r.reason.contains("duplicate project location")),
        "{s}"
    );
    let counts: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM project), (SELECT count(*) FROM project_location), \
                (SELECT count(*) FROM funding_line), (SELECT count(*) FROM project_event WHERE kind = 'imported')",
    )
    .fetch_one(&db.pool).await.unwrap();
    // Two projects have no commitment in the source: no funding line, said in the notes.
    assert_eq!(counts, (62, 417, 60, 62));
    assert_eq!(
        s.notes
            .iter()
            .filter(|n| n.contains("funding line skipped"))
            .count(),
        10,
        "{s}"
    );
    let (title, status, start, precision, attrs): (String, String, chrono::NaiveDate, String, serde_json::Value) =
        sqlx::query_as(
            "SELECT p.title_en, p.status, p.planned_start, l.precision, p.attrs FROM project p \
             JOIN project_location l ON l.project_id = p.id WHERE p.code = 'P048825' AND l.place_name = 'Bardo Museum'",
        )
        .fetch_one(&db.pool).await.unwrap();
    assert_eq!(
        (title.as_str(), status.as_str(), precision.as_str()),
        ("TN-Cultural Heritage", "completed", "exact")
    );
    assert_eq!(start, chrono::NaiveDate::from_ymd_opt(2001, 6, 12).unwrap());
    assert_eq!(attrs["lendinginstr"], "Investment Project Financing");
    let national: i64 = db
        .scalar(
            "SELECT count(*) FROM project_location WHERE precision = 'national'",
            (),
        )
        .await;
    assert_eq!(national, 20);

    let again = import(
        &db.pool,
        &[&wb, "--as", "projects", "--source", "World Bank"],
    )
    .await;
    assert_eq!(
        (again.inserted, again.updated, again.unchanged),
        (0, 0, 417),
        "{again}"
    );
    let events: i64 = db.scalar("SELECT count(*) FROM project_event", ()).await;
    // issue 9: one 'imported' event per project, dated at its approval, plus a 'status' event at the
    // closing date of each completed one (docs/dates.md)
    let closed: i64 = db.scalar("SELECT count(*) FROM project WHERE status IN ('completed', 'cancelled') AND planned_start IS NOT NULL
           AND coalesce(actual_end, planned_end) >= planned_start", ()).await;
    assert!(closed > 0);
    assert_eq!(events, 62 + closed);
    let dated: i64 = db
        .scalar(
            "SELECT count(*) FROM project_event e JOIN project p ON p.id = e.project_id
         WHERE e.kind = 'imported' AND mk_local_date(e.at) = p.planned_start",
            (),
        )
        .await;
    assert_eq!(dated, 62, "imported events carry the approval date");

    // One project changes status and title; a feature with an unknown status is rejected.
    let change = file(
        &dir,
        "change.geojson",
        r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"code":"P048825","title_en":"Cultural Heritage","status":"suspended","location_id":"7870313"},
       "geometry":{"type":"Point","coordinates":[10.1347,36.8093]}},
      {"type":"Feature","properties":{"code":"PX","status":"dreaming","location_id":"1"},
       "geometry":{"type":"Point","coordinates":[10.0,36.0]}}]}"#,
    );
    let s = import(
        &db.pool,
        &[&change, "--as", "projects", "--source", "World Bank"],
    )
    .await;
    assert_eq!((s.updated, s.rejected), (1, 1), "{s}");
    assert!(
        s.rejections[0].reason.contains("status \"dreaming\""),
        "{s}"
    );
    let (title, theme, revision): (String, Option<String>, i32) =
        sqlx::query_as("SELECT title_en, theme, revision FROM project WHERE code = 'P048825'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(title, "Cultural Heritage");
    assert!(theme.is_some(), "fields the file does not map are kept");
    assert_eq!(revision, 2);
    let (from, to, kind): (Option<String>, Option<String>, String) = sqlx::query_as(
        "SELECT from_status, to_status, kind FROM project_event WHERE project_code = 'P048825' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!(
        (from.as_deref(), to.as_deref(), kind.as_str()),
        (Some("completed"), Some("suspended"), "imported")
    );
}
