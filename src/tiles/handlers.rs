//! Tile handlers: parse, fetch (cache or PostGIS), answer with the HTTP a tile client expects —
//! `application/vnd.mapbox-vector-tile`, gzip when accepted, ETag / 304, 204 for an empty tile.
use std::{collections::HashMap, sync::Arc};

use axum::{
    body::Body,
    extract::{Path, RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use super::{
    error::TileError, filter::TileFilters, scope::TileScope, source, versions::Freshness, Source,
    Tile, TileService,
};
use crate::{auth::Caller, error::AppError};

pub const MVT: &str = "application/vnd.mapbox-vector-tile";

/// Parse `municipalities` or `municipalities,projects` (also with a `.json` suffix stripped by
/// the caller) into sources, in request order, without repeats.
pub fn parse_layers(s: &str) -> Result<Vec<Source>, TileError> {
    let mut out: Vec<Source> = vec![];
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let src = Source::parse(part).ok_or_else(|| {
            TileError::UnknownSource(format!(
                "no tile source '{part}'; sources are {} (or several, comma-separated)",
                Source::ALL.map(|s| s.id()).join(", ")
            ))
        })?;
        if !out.contains(&src) {
            out.push(src);
        }
    }
    if out.is_empty() {
        return Err(TileError::UnknownSource(
            "no tile source named; see /tiles".into(),
        ));
    }
    Ok(out)
}

/// Parse and check z/x/y (`y` may carry `.pbf` or `.mvt`).
pub fn parse_zxy(z: &str, x: &str, y: &str) -> Result<(u8, u32, u32), TileError> {
    let y = y
        .strip_suffix(".pbf")
        .or_else(|| y.strip_suffix(".mvt"))
        .unwrap_or(y);
    let bad = || {
        TileError::BadCoordinates(format!(
            "tile {z}/{x}/{y} is not a tile: z is 0–{} and x, y are 0 – 2^z−1",
            source::MAX_SERVED_ZOOM
        ))
    };
    let z: u8 = z.parse().map_err(|_| bad())?;
    let x: u32 = x.parse().map_err(|_| bad())?;
    let y: u32 = y.parse().map_err(|_| bad())?;
    if z > source::MAX_SERVED_ZOOM || x >= (1u32 << z) || y >= (1u32 << z) {
        return Err(bad());
    }
    Ok((z, x, y))
}

pub fn query_params(raw: Option<&str>) -> Result<HashMap<String, String>, TileError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| TileError::BadFilter(format!("the query string does not parse: {e}")))?;
    Ok(pairs.into_iter().collect())
}

/// A tile's path parameters, by name: `/tiles/{layers}/{z}/{x}/{y}` and the OGC API
/// `/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}` (row before column) alike.
#[derive(serde::Deserialize)]
pub struct TilePath {
    #[serde(alias = "id")]
    layers: String,
    z: String,
    x: String,
    y: String,
}

/// `GET /tiles/{layers}/{z}/{x}/{y}` and `GET /collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}`.
pub async fn tile(
    State(svc): State<Arc<TileService>>,
    caller: Caller,
    Path(p): Path<TilePath>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let sources = parse_layers(&p.layers)?;
    let (z, x, y) = parse_zxy(&p.z, &p.x, &p.y)?;
    serve(&svc, &caller, &sources, (z, x, y), q.as_deref(), &headers).await
}

async fn serve(
    svc: &TileService,
    caller: &Caller,
    sources: &[Source],
    (z, x, y): (u8, u32, u32),
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let params = query_params(query)?;
    let filters = TileFilters::parse(&params, sources)?;
    let scope = TileScope(caller.visibility());
    let public = scope.is_anonymous();
    let freshness = match params.get("v") {
        Some(v) if svc.cache.is_listening() => svc.cache.versions.compare(sources, v),
        _ => Freshness::Stale,
    };
    let tile = match freshness {
        Freshness::Ahead => {
            svc.tile_from_primary(sources, (z, x, y), &filters, &scope)
                .await?
        }
        _ => svc.tile(sources, z, x, y, &filters, &scope).await?,
    };
    // a key's tiles are its own; a versioned URL of the current data never changes (a CDN may
    // keep it for a year); anything else is current for a minute, then revalidated by ETag
    let cache_control = match (public, freshness) {
        (false, _) => "private, no-cache",
        (true, Freshness::Current) => "public, max-age=31536000, immutable",
        (true, _) => "public, max-age=60",
    };
    Ok(respond(&tile, headers, public, cache_control))
}

fn respond(
    tile: &Tile,
    headers: &HeaderMap,
    public: bool,
    cache_control: &'static str,
) -> Response {
    let vary = if public {
        "Accept-Encoding"
    } else {
        "Accept-Encoding, Authorization, X-API-Key"
    };
    let ours = tile.etag.to_str().unwrap_or("").trim_start_matches("W/");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.trim_start_matches("W/") == ours)
        });
    let mut b = Response::builder()
        .header(header::ETAG, tile.etag.clone())
        .header(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        )
        .header(header::VARY, HeaderValue::from_static(vary));
    if matches {
        return b
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::NOT_MODIFIED.into_response());
    }
    if tile.raw.is_empty() {
        return b
            .status(StatusCode::NO_CONTENT)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::NO_CONTENT.into_response());
    }
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(accepts_gzip);
    b = b.header(header::CONTENT_TYPE, HeaderValue::from_static(MVT));
    let body = if gzip {
        b = b.header(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        tile.gz.clone()
    } else {
        tile.raw.clone()
    };
    b.body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn accepts_gzip(v: &str) -> bool {
    v.split(',').any(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim();
        let q_zero = it.any(|p| {
            let p = p.trim();
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !q_zero
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths() {
        assert_eq!(parse_zxy("5", "17", "12.pbf").unwrap(), (5, 17, 12));
        assert_eq!(parse_zxy("0", "0", "0.mvt").unwrap(), (0, 0, 0));
        assert!(parse_zxy("5", "32", "1").is_err());
        assert!(parse_zxy("23", "0", "0").is_err());
        assert!(parse_zxy("a", "0", "0").is_err());
        assert_eq!(
            parse_layers("projects,municipalities,projects").unwrap(),
            vec![Source::Projects, Source::Municipalities]
        );
        assert!(parse_layers("roads").is_err());
        assert!(accepts_gzip("gzip, deflate, br"));
        assert!(!accepts_gzip("gzip;q=0, br"));
        assert!(!accepts_gzip("identity"));
    }
}
