//! File formats (CSV lon/lat and WKT, GeoPackage, Shapefile, FlatGeobuf, KML), dry run, argument errors.
use super::*;

#[tokio::test]
async fn csv_with_lon_lat_and_csv_with_wkt() {
    let (db, dir, points) = empty_db_with_file(
        "facilities.csv",
        "id,kind,subtype,name,longitude,latitude\n\
         osm:node/1,school,primary,Ecole de la Marsa,10.3247,36.8782\n\
         osm:node/2,health,pharmacy,صيدلية,10.1815,36.8065\n\
         osm:node/3,bank,,Banque,10.18,36.80\n",
    )
    .await;
    let s = import(&db.pool, &[&points, "--as", "facilities"]).await;
    assert_eq!((s.read, s.inserted, s.rejected), (3, 2, 1), "{s}");
    assert!(s.rejections[0].reason.contains("kind \"bank\""), "{s}");
    let (x, y): (f64, f64) = sqlx::query_as(
        "SELECT ST_X(geom), ST_Y(geom) FROM facility WHERE source_id = 'osm:node/1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((x, y), (10.3247, 36.8782));
    let attrs: serde_json::Value = db
        .scalar(
            "SELECT attrs FROM facility WHERE source_id = 'osm:node/1'",
            (),
        )
        .await;
    assert_eq!(
        attrs,
        serde_json::json!({}),
        "lon/lat columns are geometry, not attributes"
    );

    let wkt = municipalities_as(
        &dir,
        "ariana.csv",
        "CSV",
        "12",
        &["-lco", "GEOMETRY=AS_WKT"],
    );
    let s = import(&db.pool, &with(&wkt, MUNI_FIELDS)).await;
    assert!(s.read > 0 && s.inserted == s.read && s.rejected == 0, "{s}");
    let parents: Vec<String> = sqlx::query_scalar("SELECT DISTINCT parent_code FROM admin_unit")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(parents, vec!["12".to_string()]);
}

#[tokio::test]
async fn geopackage_shapefile_flatgeobuf_and_kml() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let src = data("boundaries/municipalities_2018.geojson");
    // A GeoPackage with two layers: --layer picks one; without it the error lists them.
    let gpkg = municipalities_as(&dir, "two.gpkg", "GPKG", "15", &["-nln", "nabeul"]);
    municipalities_as(
        &dir,
        "two.gpkg",
        "GPKG",
        "51",
        &["-update", "-nln", "sousse"],
    );
    let err = try_import(&db.pool, &with(&gpkg, MUNI_FIELDS))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ImportError::AmbiguousLayer { .. }) && err.to_string().contains("sousse"),
        "{err}"
    );
    let mut list = with(&gpkg, MUNI_FIELDS);
    list.extend(["--layer", "sousse"]);
    let s = import(&db.pool, &list).await;
    assert!(s.inserted > 10 && s.rejected == 0, "{s}");

    // A Shapefile (10-character field names, so renamed to the canonical names in the file).
    let shp = p(dir.path(), "nabeul.shp");
    ogr2ogr(&["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "-sql",
        "SELECT id_mun_official AS code, name_ar_official AS name_ar, name_fr_official AS name_fr, gov_id AS parent_code FROM TN_municipalities_2018_enriched WHERE gov_id = 15",
        &shp, &src]);
    let s = import(&db.pool, &[&shp, "--as", "municipalities"]).await;
    assert!(s.inserted > 10 && s.rejected == 0, "{s}");
    let name: String = db
        .scalar("SELECT name_ar FROM admin_unit WHERE code = '1511'", ())
        .await;
    assert!(
        name.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "{name}"
    );

    // Facilities as GeoJSON, then the same as FlatGeobuf (all unchanged) and as KML.
    let fac = p(dir.path(), "fac.geojson");
    ogr2ogr(&["-dialect", "sqlite", "-sql",
        "SELECT 'osm:node/' || osm_node_id AS id, CASE value WHEN 'school' THEN 'school' WHEN 'post_office' THEN 'post' ELSE 'health' END AS kind, value AS subtype, name, geometry FROM tn_osm_poi_2019 WHERE value IN ('school', 'pharmacy', 'post_office') LIMIT 300",
        &fac, &data("facilities/osm_poi_2019.geojson")]);
    let s = import(&db.pool, &[&fac, "--as", "facilities", "--source", "osm"]).await;
    assert_eq!((s.read, s.inserted), (300, 300), "{s}");
    let fgb = p(dir.path(), "fac.fgb");
    ogr2ogr(&["-f", "FlatGeobuf", &fgb, &fac]);
    let s = import(&db.pool, &[&fgb, "--as", "facilities", "--source", "osm"]).await;
    assert_eq!((s.read, s.unchanged), (300, 300), "{s}");
    let kml = p(dir.path(), "fac.kml");
    ogr2ogr(&["-f", "LIBKML", &kml, &fac]);
    let s = import(&db.pool, &[&kml, "--as", "facilities", "--source", "osm"]).await;
    assert_eq!((s.read, s.inserted, s.rejected), (300, 0, 0), "{s}");
    let n: i64 = db.scalar("SELECT count(*) FROM facility", ()).await;
    assert_eq!(n, 300);
}

#[tokio::test]
async fn dry_run_writes_nothing() {
    let db = common::empty_db().await;
    let before = fingerprint(&db.pool).await;
    let gov = data("boundaries/governorates.geojson");
    let s = import(&db.pool, &gov_args(&gov, &["--dry-run"])).await;
    assert_eq!((s.inserted, s.dry_run), (24, true));
    assert_eq!(fingerprint(&db.pool).await, before);
}

#[tokio::test]
async fn bad_arguments_are_explained() {
    let db = common::empty_db().await;
    let gov = data("boundaries/governorates.geojson");
    for (args, says, why) in [
        (
            ["--field", "code=nope"],
            "gov_id",
            "lists the file's fields",
        ),
        (
            ["--field", "kode=gov_id"],
            "parent_code",
            "lists the canonical fields",
        ),
    ] {
        let args: Vec<&str> = [gov.as_str(), "--as", "governorates"]
            .into_iter()
            .chain(args)
            .collect();
        let err = try_import(&db.pool, &args).await.unwrap_err();
        assert!(err.to_string().contains(says), "{why}: {err}");
    }
    let err = try_import(&db.pool, &[&gov, "--as", "landuse"])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("--landuse-slug"), "{err}");
    let err = try_import(
        &db.pool,
        &["/nonexistent/x.geojson", "--as", "governorates"],
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ImportError::NotFound { .. }), "{err}");
    let err = try_import(
        &db.pool,
        &[&gov, "--as", "governorates", "--where", "no_such_field = 1"],
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ImportError::BadWhere { .. }), "{err}");
}
