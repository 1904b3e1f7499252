//! Discovery: the `/tiles` catalog, TileJSON 3.0.0 and OGC API – Tiles metadata.
use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{Html, IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::{handlers::parse_layers, source, Source, TileService};
use crate::{
    config::Settings,
    cql::QType,
    error::AppError,
    html::{esc, page, wants_html},
};

/// Bounds of Tunisia (CRS84) and the map's default centre (Tunis).
pub const BOUNDS: [f64; 4] = [7.5, 30.2, 11.6, 37.6];
pub const CENTER: [f64; 3] = [10.18, 36.8, 6.0];
pub const ATTRIBUTION: &str = "Boundaries © Julia Clark / OpenStreetMap contributors (ODbL). Points of interest © OpenStreetMap contributors (ODbL). Projects: World Bank, CC BY 4.0. Population: Ministry of Local Affairs / INS.";
const WMQ: &str = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";

#[derive(serde::Deserialize)]
pub struct FormatQuery {
    f: Option<String>,
}

fn field_type(t: QType) -> &'static str {
    match t {
        QType::Integer | QType::Number => "Number",
        QType::Boolean => "Boolean",
        _ => "String",
    }
}

fn vector_layer(s: Source) -> Value {
    let fields: serde_json::Map<String, Value> = s
        .fields()
        .iter()
        .map(|f| (f.name.to_string(), json!(field_type(f.ty))))
        .collect();
    json!({
        "id": s.id(),
        "description": s.description(),
        "minzoom": s.minzoom(),
        "maxzoom": source::MAX_ZOOM,
        "fields": fields,
    })
}

fn ids(sources: &[Source]) -> String {
    sources.iter().map(|s| s.id()).collect::<Vec<_>>().join(",")
}

/// The XYZ URL template of a source (or composite).
pub fn template(base: &str, layers: &str) -> String {
    format!("{base}/tiles/{layers}/{{z}}/{{x}}/{{y}}.pbf")
}

/// TileJSON 3.0.0 of one source or composite; `version` (the sources' data version, `versions.rs`)
/// goes into the tile template, so the tile URLs change exactly when the data does.
pub fn tilejson_value(base: &str, sources: &[Source], version: Option<&str>) -> Value {
    let layers: Vec<Value> = sources.iter().map(|s| vector_layer(*s)).collect();
    let name = ids(sources);
    let tiles = match version {
        Some(v) => format!("{}?v={v}", template(base, &name)),
        None => template(base, &name),
    };
    json!({
        "tilejson": "3.0.0",
        "name": name,
        "description": sources.iter().map(|s| s.description()).collect::<Vec<_>>().join(" · "),
        "version": "1.0.0",
        "attribution": ATTRIBUTION,
        "scheme": "xyz",
        "tiles": [tiles],
        "minzoom": sources.iter().map(|s| s.minzoom()).min().unwrap_or(0),
        "maxzoom": source::MAX_ZOOM,
        "bounds": BOUNDS,
        "center": CENTER,
        "vector_layers": layers,
        // GDAL's MVT driver (and MBTiles metadata readers) look for the layers in `json`.
        "format": "pbf",
        "json": json!({"vector_layers": layers}).to_string(),
    })
}

/// `GET /tiles/{layers}`, `/tiles/{layers}.json`, `/tiles/{layers}/metadata.json`
pub async fn tilejson(
    State(settings): State<Arc<Settings>>,
    State(svc): State<Arc<TileService>>,
    Path(layers): Path<String>,
) -> Result<Response, AppError> {
    let layers = layers.strip_suffix(".json").unwrap_or(&layers);
    let sources = parse_layers(layers)?;
    // without a listener the version may be behind: no versioned (immutable) URLs then
    let version = svc
        .cache
        .is_listening()
        .then(|| svc.cache.versions.of(&sources));
    let mut resp = Json(tilejson_value(
        &settings.base_url,
        &sources,
        version.as_deref(),
    ))
    .into_response();
    // it names the current version: clients and CDNs must ask again soon
    resp.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=10"),
    );
    Ok(resp)
}

/// The QGIS "Vector Tiles" connection of a source, as the landing page and catalog print it.
pub fn qgis_connection(base: &str, s: Source) -> Value {
    json!({
        "name": format!("Mokhattat — {}", s.id()),
        "url": template(base, s.id()),
        "zmin": s.minzoom(),
        "zmax": source::MAX_ZOOM,
        "style_url": format!("{base}/styles/planning-qgis.json"),
    })
}

/// `GET /tiles` — the catalog (JSON, or HTML for browsers).
pub async fn catalog(
    State(settings): State<Arc<Settings>>,
    State(svc): State<Arc<TileService>>,
    headers: HeaderMap,
    Query(q): Query<FormatQuery>,
) -> Response {
    let base = &settings.base_url;
    let sets: Vec<Value> = Source::ALL
        .iter()
        .map(|s| {
            let (fr, ar) = s.title();
            json!({
                "id": s.id(), "title_fr": fr, "title_ar": ar, "description": s.description(),
                "tilejson": format!("{base}/tiles/{}", s.id()),
                "tiles": template(base, s.id()),
                "minzoom": s.minzoom(), "maxzoom": source::MAX_ZOOM,
                "qgis": qgis_connection(base, *s),
                "ogc_tiles": format!("{base}/collections/{}/tiles", s.id()),
            })
        })
        .collect();
    if wants_html(&headers, q.f.as_deref()) {
        return Html(catalog_html(base)).into_response();
    }
    Json(json!({
        "title": "Mokhattat vector tiles",
        "tilesets": sets,
        "composite": {
            "example": format!("{base}/tiles/municipalities,landuse,projects"),
            "note": "any comma-separated list of sources is one tile with one layer per source",
        },
        "filters": {
            "status": format!("comma-separated, one of {}", super::filter::STATUSES.join(", ")),
            "theme": "comma-separated project themes",
            "municipality": "comma-separated official municipality codes (e.g. 1111)",
            "funder": "comma-separated funder names (case-insensitive)",
            "year": "projects under way during that year",
            "filter": "CQL2 text over the layer's attributes (see vector_layers[].fields)",
        },
        "styles": format!("{base}/styles"),
        "viewer": format!("{base}/map"),
        "cache": svc.cache.stats(),
    }))
    .into_response()
}

/// An HTML list of the QGIS connections (also used by the landing page).
pub fn qgis_html(base: &str) -> String {
    let rows: String = Source::ALL
        .iter()
        .map(|s| {
            let (fr, ar) = s.title();
            format!(
                "<tr><td>{}<br><small>{} · <span lang=\"ar\" dir=\"rtl\">{}</span></small></td>\
                 <td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                s.id(),
                esc(fr),
                esc(ar),
                esc(&template(base, s.id())),
                s.minzoom(),
                source::MAX_ZOOM,
                esc(&format!("{base}/styles/planning-qgis.json"))
            )
        })
        .collect();
    format!(
        "<p>QGIS: <em>Layer › Add Layer › Add Vector Tile Layer… › New Generic Connection</em>, then:</p>\
         <table><tr><th>Source</th><th>URL</th><th>Min. zoom</th><th>Max. zoom</th><th>Style URL</th></tr>{rows}</table>"
    )
}

fn catalog_html(base: &str) -> String {
    page(
        "Mokhattat — tuiles vectorielles",
        &format!(
            "<h1>Tuiles vectorielles <span lang=\"ar\" dir=\"rtl\">· البلاطات الشعاعية</span></h1>{}\
             <p>TileJSON: <code>{base}/tiles/{{source}}</code> · composite: <code>{base}/tiles/municipalities,landuse,projects</code> · \
             <a href=\"{base}/map\">carte / خريطة</a> · <a href=\"{base}/styles\">styles</a></p>",
            qgis_html(base)
        ),
    )
}

fn tile_range(z: u8) -> (u32, u32, u32, u32) {
    let n = f64::from(1u32 << z);
    let col = |lon: f64| ((lon + 180.0) / 360.0 * n).floor().clamp(0.0, n - 1.0) as u32;
    let row = |lat: f64| {
        let r = lat.to_radians();
        ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n)
            .floor()
            .clamp(0.0, n - 1.0) as u32
    };
    (
        col(BOUNDS[0]),
        col(BOUNDS[2]),
        row(BOUNDS[3]),
        row(BOUNDS[1]),
    )
}

/// A collection's sources, the public base URL and the collection's canonical name.
fn collection<'a>(
    settings: &'a Settings,
    id: &str,
) -> Result<(Vec<Source>, &'a str, String), AppError> {
    let sources = parse_layers(id)?;
    let name = ids(&sources);
    Ok((sources, &settings.base_url, name))
}

/// `GET /collections/{id}/tiles` — the tilesets of a collection.
pub async fn ogc_tilesets(
    State(settings): State<Arc<Settings>>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, base, name) = collection(&settings, &id)?;
    Ok(Json(json!({
        "links": [
            {"rel": "self", "type": "application/json", "title": "Tilesets", "href": format!("{base}/collections/{name}/tiles")},
        ],
        "tilesets": [{
            "title": format!("{name} (WebMercatorQuad)"),
            "dataType": "vector",
            "crs": "http://www.opengis.net/def/crs/EPSG/0/3857",
            "tileMatrixSetURI": WMQ,
            "links": [
                {"rel": "self", "type": "application/json", "title": "Tileset metadata", "href": format!("{base}/collections/{name}/tiles/WebMercatorQuad")},
                {"rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "type": "application/json", "title": "WebMercatorQuad", "href": WMQ},
            ],
        }],
    }))
    .into_response())
}

/// `GET /collections/{id}/tiles/WebMercatorQuad` — tileset metadata.
pub async fn ogc_tileset(
    State(settings): State<Arc<Settings>>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (sources, base, name) = collection(&settings, &id)?;
    let limits: Vec<Value> = (0..=source::MAX_ZOOM)
        .map(|z| {
            let (c0, c1, r0, r1) = tile_range(z);
            json!({"tileMatrix": z.to_string(), "minTileRow": r0, "maxTileRow": r1, "minTileCol": c0, "maxTileCol": c1})
        })
        .collect();
    let layers: Vec<Value> = sources
        .iter()
        .map(|s| {
            let props: serde_json::Map<String, Value> = s
                .fields()
                .iter()
                .map(|f| {
                    let mut schema = f.ty.json_schema();
                    schema["description"] = json!(f.doc);
                    (f.name.to_string(), schema)
                })
                .collect();
            json!({
                "id": s.id(), "title": s.title().0, "description": s.description(),
                "dataType": "vector", "geometryDimension": if *s == Source::Facilities { 0 } else { 2 },
                "minTileMatrix": s.minzoom().to_string(), "maxTileMatrix": source::MAX_ZOOM.to_string(),
                "propertiesSchema": {"type": "object", "properties": props},
            })
        })
        .collect();
    Ok(Json(json!({
        "title": name,
        "dataType": "vector",
        "crs": "http://www.opengis.net/def/crs/EPSG/0/3857",
        "tileMatrixSetURI": WMQ,
        "tileMatrixSetLimits": limits,
        "boundingBox": {"lowerLeft": [BOUNDS[0], BOUNDS[1]], "upperRight": [BOUNDS[2], BOUNDS[3]], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"},
        "centerPoint": {"coordinates": [CENTER[0], CENTER[1]], "tileMatrix": "6"},
        "layers": layers,
        "links": [
            {"rel": "self", "type": "application/json", "title": "This tileset", "href": format!("{base}/collections/{name}/tiles/WebMercatorQuad")},
            {"rel": "item", "type": super::handlers::MVT, "title": "Tiles", "templated": true,
             "href": format!("{base}/collections/{name}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}")},
            {"rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "type": "application/json", "title": "WebMercatorQuad", "href": WMQ},
            {"rel": "describedby", "type": "application/json", "title": "TileJSON", "href": format!("{base}/tiles/{name}")},
        ],
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tunisia_tile_range() {
        // z5: Tunisia spans columns 16–17 and rows 12–13
        assert_eq!(super::tile_range(5), (16, 17, 12, 13));
    }
}
