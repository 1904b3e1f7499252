//! Tiles, styles, sprites and glyphs; the map viewer; health, metrics; keys and `whoami` — in the
//! OpenAPI document.
use serde_json::{json, Map, Value};

use super::build::{body, get, needs_key, object, ok, ok_json, one_of, op, path, q, r, text, with};
use crate::tiles::Source;

const TILE_FILTERS: [(&str, &str); 6] = [
    (
        "status",
        "Projects with one of these statuses (comma separated)",
    ),
    ("theme", "Projects of one of these themes"),
    ("municipality", "Only inside this municipality (code)"),
    ("funder", "Projects funded by one of these funders"),
    ("year", "Projects active in this year"),
    ("filter", "CQL2 filter on the layers' properties"),
];

fn tile_ok() -> Value {
    json!({"description": "A Mapbox Vector Tile (gzip encoded); 204 when empty", "headers": {"ETag": {"schema": {"type": "string"}}},
        "content": {"application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}}})
}

fn filters() -> Vec<Value> {
    TILE_FILTERS.iter().map(|(n, d)| q(n, text(), d)).collect()
}

/// `/tiles…`, `/collections/{collectionId}/tiles…`, `/styles…`, `/fonts…`.
// size: a literal JSON description of the tile and style routes
pub fn tiles(paths: &mut Map<String, Value>) {
    let tag = "Tiles";
    let ids: Vec<&str> = Source::ALL.iter().map(|s| s.id()).collect();
    let layers = json!({"name": "layers", "in": "path", "required": true, "example": "municipalities,projects",
        "schema": {"type": "string"}, "description": format!("One source or several, comma separated: {}", ids.join(", "))});
    let f = q("f", one_of(&["json", "html"]), "Output format");
    let tilejson = || {
        ok(
            "TileJSON 3.0",
            &["application/json"],
            with(&["tilejson", "tiles"]),
        )
    };
    paths.insert("/tiles".into(), json!({"get": get(tag, "tiles_catalog", "The tile sources",
        vec![f.clone()], ok("The sources", &["application/json", "text/html"], object()), &["400"])}));
    paths.insert(
        "/tiles/{layers}".into(),
        json!({"get": get(tag, "tilejson", "TileJSON of one or several sources",
        vec![layers.clone()], tilejson(), &["400", "404"])}),
    );
    paths.insert(
        "/tiles/{layers}/metadata.json".into(),
        json!({"get": get(tag, "tilejson_metadata", "TileJSON (the name martin and GDAL use)",
        vec![layers.clone()], tilejson(), &["400", "404"])}),
    );
    let zxy = |n: &str, e: &str| json!({"name": n, "in": "path", "required": true, "schema": {"type": "string"}, "example": e, "description": "Tile coordinate (y may end with .pbf or .mvt)"});
    let mut p = vec![layers, zxy("z", "6"), zxy("x", "34"), zxy("y", "25.pbf")];
    p.extend(filters());
    p.push(q("v", text(), "The data version from the TileJSON template: the current one makes the answer immutable (Cache-Control), for CDNs"));
    let mut tile = op(
        tag,
        "tile",
        "A vector tile (XYZ)",
        p,
        "200",
        tile_ok(),
        &["400", "404"],
    );
    tile["responses"]["204"] = json!({"description": "No feature in the tile"});
    tile["responses"]["304"] = json!({"description": "Not modified (If-None-Match)"});
    paths.insert("/tiles/{layers}/{z}/{x}/{y}".into(), json!({"get": tile}));
    let cid = json!({"name": "collectionId", "in": "path", "required": true, "example": "municipalities",
        "schema": {"type": "string", "enum": ids}, "description": "A collection served as tiles"});
    paths.insert(
        "/collections/{collectionId}/tiles".into(),
        json!({"get": get(tag, "ogc_tilesets", "OGC API – Tiles: the tilesets of a collection",
        vec![cid.clone()], ok_json("Tilesets", with(&["tilesets"])), &["400", "404"])}),
    );
    paths.insert("/collections/{collectionId}/tiles/WebMercatorQuad".into(), json!({"get": get(tag, "ogc_tileset",
        "OGC API – Tiles: tileset metadata", vec![cid.clone()], ok_json("Tileset", object()), &["400", "404"])}));
    let mut p = vec![
        cid,
        zxy("tileMatrix", "6"),
        zxy("tileRow", "25"),
        zxy("tileCol", "34"),
    ];
    p.extend(filters());
    let mut tile = op(
        tag,
        "ogc_tile",
        "OGC API – Tiles: a vector tile",
        p,
        "200",
        tile_ok(),
        &["400", "404"],
    );
    tile["responses"]["204"] = json!({"description": "No feature in the tile"});
    paths.insert(
        "/collections/{collectionId}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}".into(),
        json!({"get": tile}),
    );
    let tag = "Styles";
    paths.insert(
        "/styles".into(),
        json!({"get": get(tag, "styles", "The MapLibre styles", vec![],
        ok_json("Styles", object()), &["400"])}),
    );
    paths.insert("/styles/{file}".into(), json!({"get": get(tag, "style", "A MapLibre style (planning.json; planning-qgis.json for QGIS)",
        vec![path("file", "planning.json", "Style file")], ok_json("The style", with(&["version", "sources", "layers"])), &["400", "404"])}));
    paths.insert(
        "/styles/sprites/{file}".into(),
        json!({"get": get(tag, "sprite", "The sprite sheet (facility icons)",
        vec![path("file", "planning.json", "planning{,@2x}.{json,png}")],
        ok("Sprite index or image", &["application/json", "image/png"], object()), &["400", "404"])}),
    );
    paths.insert("/fonts/{stack}/{range}".into(), json!({"get": get(tag, "glyphs", "Glyphs of a font stack (Latin and Arabic Noto faces)",
        vec![path("stack", "Noto Sans Regular", "Font names, comma separated"), path("range", "0-255.pbf", "{start}-{end}.pbf, 256 code points")],
        ok("Glyph protobuf", &["application/x-protobuf"], json!({"type": "string", "format": "binary"})), &["400", "404"])}));
}

/// `/`, `/api`, `/api.html`, `/health`, `/metrics`, `/map…`, `/api/whoami`, `/api/keys…`.
// size: a literal JSON description of the service routes
pub fn service(paths: &mut Map<String, Value>) {
    let tag = "Service";
    let html = |d: &str| ok(d, &["text/html"], text());
    paths.insert("/".into(), json!({"get": get(tag, "landing", "Landing page",
        vec![q("f", one_of(&["json", "html"]), "Output format")],
        ok("Links to the API", &["application/json", "text/html"], super::build::s("LandingPage")), &["400"])}));
    paths.insert("/api".into(), json!({"get": get(tag, "api", "This OpenAPI document", vec![r("f")],
        ok("OpenAPI 3.0", &["application/vnd.oai.openapi+json;version=3.0", "text/html"], with(&["openapi", "paths"])), &["400"])}));
    paths.insert("/api.html".into(), json!({"get": get(tag, "api_html", "The API explorer (Swagger UI, try it)", vec![], html("The explorer"), &["400"])}));
    paths.insert(
        "/health".into(),
        json!({"get": get(tag, "health", "Liveness and the database's state", vec![],
        ok_json("Up", with(&["status", "database"])), &[])}),
    );
    paths["/health"]["get"]["responses"]["503"] = json!({"description": "The database is down", "content": {"application/json": {"schema": with(&["status", "database"])}}});
    paths.insert("/health/live".into(), json!({"get": get(tag, "health_live", "Liveness: the process answers (no database call)", vec![],
        ok_json("Alive", with(&["status"])), &[])}));
    paths.insert("/health/ready".into(), json!({"get": get(tag, "health_ready", "Readiness: the primary answers; the read replicas' state", vec![],
        ok_json("Ready", with(&["status", "primary", "replicas"])), &[])}));
    paths["/health/ready"]["get"]["responses"]["503"] = json!({"description": "Not ready (the primary does not answer)", "content": {"application/json": {"schema": with(&["status", "primary", "replicas"])}}});
    paths.insert(
        "/metrics".into(),
        json!({"get": get(tag, "metrics", "Prometheus metrics", vec![],
        ok("Metrics (Prometheus text format)", &["text/plain"], text()), &[])}),
    );
    paths.insert("/map".into(), json!({"get": get("Map", "map", "The map viewer",
        vec![q("lang", one_of(&["fr", "ar"]), "Language"), q("embed", one_of(&["1"]), "Embedded (no chrome, may be framed)"),
             q("municipality", text(), "Open on this municipality")], html("The viewer"), &["400"])}));
    let lang = q(
        "lang",
        one_of(&["fr", "ar"]),
        "Language (else Accept-Language, else French)",
    );
    paths.insert("/projects/{code}".into(), json!({"get": get("Pages", "project_page", "A project's page for people (bilingual, printable); 404 when it does not exist or the key may not see it",
        vec![path("code", "P118131", "Project code"), lang.clone()], html("The page"), &["400", "401", "404"])}));
    paths.insert("/units/{level}/{code}".into(), json!({"get": get("Pages", "unit_page", "A unit's page for people: key figures, map, projects, links to its sheet and the map",
        vec![path("level", "municipality", "governorate, delegation or municipality"), path("code", "1111", "Unit code"), lang],
        html("The page"), &["400", "401", "404"])}));
    // a page for people says "not found" as a page too
    for p in ["/projects/{code}", "/units/{level}/{code}"] {
        paths[p]["get"]["responses"]["404"] = json!({"description": "No such project or unit (or not visible to the caller): a page saying so in both languages", "content": {"text/html": {"schema": text()}}});
    }
    for (p, id) in [
        ("/favicon.svg", "favicon_svg"),
        ("/favicon.ico", "favicon_ico"),
    ] {
        paths.insert(p.into(), json!({"get": get(tag, id, "The site's icon (SVG)", vec![], ok("The icon", &["image/svg+xml"], text()), &[])}));
    }
    paths.insert("/map/assets/{file}".into(), json!({"get": get("Map", "map_asset", "A viewer asset (vendored, no CDN)",
        vec![path("file", "viewer.js", "Asset file name")], ok("The asset", &["text/javascript", "text/css"], text()), &["400", "404", "503"])}));
    paths.insert("/map/basemap.pmtiles".into(), json!({"get": get("Map", "basemap_archive", "The local PMTiles basemap file (MOKHATTAT_BASEMAP_PMTILES), with HTTP Range: one range gives 206, a bad one 416; 404 when none is configured",
        vec![], ok("The archive or the requested bytes", &["application/vnd.pmtiles"], text()), &["404", "416"])}));
    let tag = "Keys";
    paths.insert(
        "/api/whoami".into(),
        json!({"get": get(tag, "whoami", "The caller as the key identifies it", vec![],
        ok_json("The caller", with(&["role"])), &["400", "401"])}),
    );
    let role = one_of(&["admin", "planner", "partner"]);
    let new_key = json!({"type": "object", "required": ["name", "role"], "properties": {"name": text(), "role": role,
        "municipalities": {"type": "array", "items": text()}, "partner": text()}});
    let admin = ["400", "401", "403"];
    paths.insert("/api/keys".into(), json!({
        "get": needs_key(get(tag, "keys", "Every key, without secrets (admin)", vec![], ok_json("Keys", with(&["keys"])), &admin)),
        "post": needs_key(body(op(tag, "key_create", "Create a key (admin); the secret is shown once", vec![], "201",
            ok_json("The key", object()), &["400", "401", "403", "409", "413", "415", "422", "429"]), new_key)),
    }));
    let prefix = path("prefix", "mk_0000", "Key prefix");
    paths.insert("/api/keys/{prefix}".into(), json!({
        "get": needs_key(get(tag, "key", "One key (admin)", vec![prefix.clone()], ok_json("The key", object()), &["400", "401", "403", "404"])),
        "delete": needs_key(op(tag, "key_revoke", "Revoke a key (admin)", vec![prefix], "204", json!({"description": "Revoked"}),
            &["400", "401", "403", "404", "429"])),
    }));
}
