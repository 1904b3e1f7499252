//! `GET /collections/{id}/items` and `GET /collections/{id}/items/{fid}`.
use crate::features::read::collections::json_or_html;
use crate::features::Ctx;
use axum::{
    http::{header, HeaderName, HeaderValue},
    response::{Html, IntoResponse, Response},
};
use serde_json::{json, Value};

use super::collections::extras;
use super::feature::{CollectionRequest, FeatureRequest};
use super::params::{self, check_known, parse_items, ItemsParams, Pairs};
use super::query::{self, GeomOut};
use super::{crs, export};
use crate::auth::Caller;
use crate::features::render::format::{self, negotiate, Format};
use crate::features::render::url::urlencode;
use crate::features::{collection, render::html, FResult, FeaturesError};
use crate::layers::{Layer, PType};
use crate::web::Link;

pub const CONTENT_CRS: HeaderName = HeaderName::from_static("content-crs");
const ALL_FORMATS: &[Format] = &[
    Format::Json,
    Format::Html,
    Format::Csv,
    Format::Gpkg,
    Format::Fgb,
];

pub fn content_crs(uri: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("<{uri}>")).unwrap_or(HeaderValue::from_static(""))
}

/// A feature id as JSON: a number for integer ids, a string otherwise.
pub fn fid_json(c: &Layer, fid: &str) -> String {
    match c.fid_type {
        PType::Int if fid.parse::<i64>().is_ok() => fid.to_string(),
        _ => Value::String(fid.to_string()).to_string(),
    }
}

/// One GeoJSON feature as text, from database pieces that are already JSON.
pub fn feature_text(c: &Layer, fid: &str, geom: Option<&str>, props: &str) -> String {
    format!(
        "{{\"type\":\"Feature\",\"id\":{},\"geometry\":{},\"properties\":{}}}",
        fid_json(c, fid),
        geom.unwrap_or("null"),
        props
    )
}

/// numberMatched told by the page itself: a page shorter than the limit that is not past the end
/// holds the last matches, so they number `offset + returned` and no count query is needed.
pub fn matched_from_page(p: &ItemsParams, returned: usize) -> Option<i64> {
    let n = returned as i64;
    (n < p.limit && (n > 0 || p.offset == 0)).then_some(p.offset + n)
}

/// One page and, when asked (`count`), the matched count: from the page when it tells it
/// ([`matched_from_page`]), else by a count query (`None` when not asked).
async fn fetch_page<T>(
    state: &Ctx,
    c: &'static Layer,
    p: &ItemsParams,
    who: &Caller,
    out: GeomOut,
    count: bool,
) -> FResult<(Option<i64>, Vec<T>)>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let mut page_q = query::page(c, p, who, out)?;
    let rows = page_q
        .build_query_as::<T>()
        .fetch_all(&state.pool)
        .await
        .map_err(FeaturesError::db("reading a page of items"))?;
    if !count {
        return Ok((None, rows));
    }
    if let Some(matched) = matched_from_page(p, rows.len()) {
        return Ok((Some(matched), rows));
    }
    let matched = query::count(c, p, who)?
        .build_query_scalar::<i64>()
        .fetch_one(&state.pool)
        .await
        .map_err(FeaturesError::db("counting the matching items"))?;
    Ok((Some(matched), rows))
}

// size: one arm per output format (HTML, GeoJSON, CSV, GeoPackage, FlatGeobuf) over the same page
pub async fn items(state: Ctx, r: CollectionRequest) -> FResult<Response> {
    let CollectionRequest {
        path: id,
        headers,
        q,
        who,
    } = r;
    let c = collection(&id)?;
    check_known(&q, params::ITEMS_PARAMS, extras(&state), Some(c))?;
    let fmt = negotiate(params::get(&q, "f")?, &headers, ALL_FORMATS)?;
    let p = parse_items(c, &q)?;
    let ccrs = content_crs(p.crs.uri);
    match fmt {
        Format::Json | Format::Html => {
            let (matched, rows) = fetch_page::<(String, Option<String>, String)>(
                &state,
                c,
                &p,
                &who,
                GeomOut::GeoJson,
                true,
            )
            .await?;
            let matched = matched.unwrap_or_default();
            let links = page_links(
                &state.settings.base_url,
                c,
                &q,
                &p,
                matched,
                rows.len() as i64,
            );
            if fmt == Format::Html {
                let v = html::View::new(&format!("/collections/{}/items", c.id), &q, &headers);
                let page = html::items(c, &rows, matched, p.offset, &links, &v);
                return Ok(Html(page).into_response());
            }
            let mut body = String::with_capacity(
                rows.iter()
                    .map(|r| r.2.len() + r.1.as_ref().map_or(4, |g| g.len()) + 64)
                    .sum::<usize>()
                    + 1024,
            );
            body.push_str(&format!(
                "{{\"type\":\"FeatureCollection\",\"numberMatched\":{matched},\"numberReturned\":{},\"timeStamp\":\"{}\",\"links\":{},\"features\":[",
                rows.len(),
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
                serde_json::to_string(&links).unwrap_or_else(|_| "[]".into()),
            ));
            for (i, (fid, geom, props)) in rows.iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(&feature_text(c, fid, geom.as_deref(), props));
            }
            body.push_str("]}");
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(format::GEOJSON),
                    ),
                    (CONTENT_CRS, ccrs),
                ],
                body,
            )
                .into_response())
        }
        Format::Csv => {
            let (_, rows) = fetch_page::<(String, Option<String>, String)>(
                &state,
                c,
                &p,
                &who,
                GeomOut::Wkt,
                false,
            )
            .await?;
            let body = export::csv(c, &query::selected(c, &p), &rows)?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (header::CONTENT_DISPOSITION, disposition(c, "csv")),
                    (CONTENT_CRS, ccrs),
                ],
                body,
            )
                .into_response())
        }
        Format::Gpkg | Format::Fgb => {
            let (_, rows) = fetch_page::<(String, Option<Vec<u8>>, String)>(
                &state,
                c,
                &p,
                &who,
                GeomOut::Wkb,
                false,
            )
            .await?;
            let props = query::selected(c, &p);
            let srid = p.crs.srid;
            let bytes =
                tokio::task::spawn_blocking(move || export::file(c, &props, &rows, srid, fmt))
                    .await
                    .map_err(|e| FeaturesError::internal("export task", e))??;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(fmt.items_media()),
                    ),
                    (header::CONTENT_DISPOSITION, disposition(c, fmt.key())),
                    (CONTENT_CRS, ccrs),
                ],
                bytes,
            )
                .into_response())
        }
    }
}

fn disposition(c: &Layer, ext: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("attachment; filename=\"{}.{ext}\"", c.id))
        .unwrap_or(HeaderValue::from_static("attachment"))
}

fn page_links(
    base: &str,
    c: &Layer,
    q: &Pairs,
    p: &ItemsParams,
    matched: i64,
    returned: i64,
) -> Vec<Link> {
    let path = format!("{base}/collections/{}/items", c.id);
    let json_q: Pairs = q.iter().filter(|(k, _)| k != "f").cloned().collect();
    let qs = |pairs: &Pairs, offset: i64| params::with_page(pairs, p.limit, offset);
    let mut links = vec![
        Link::new(
            format!("{path}?{}", qs(&json_q, p.offset)),
            "self",
            format::GEOJSON,
            "This page",
        ),
        Link::new(
            format!(
                "{path}?{}",
                params::with_format(
                    &params::page_pairs(&json_q, p.limit, p.offset),
                    Some("html")
                )
            ),
            "alternate",
            format::HTML,
            "This page as HTML",
        ),
    ];
    if p.offset + returned < matched {
        links.push(Link::new(
            format!("{path}?{}", qs(&json_q, p.offset + p.limit)),
            "next",
            format::GEOJSON,
            "Next page",
        ));
    }
    if p.offset > 0 {
        links.push(Link::new(
            format!("{path}?{}", qs(&json_q, (p.offset - p.limit).max(0))),
            "prev",
            format::GEOJSON,
            "Previous page",
        ));
    }
    links.push(Link::new(
        format!("{base}/collections/{}", c.id),
        "collection",
        format::JSON,
        "The collection",
    ));
    links
}

pub async fn item(state: Ctx, r: FeatureRequest) -> FResult<Response> {
    let FeatureRequest {
        path: (id, fid),
        headers,
        q,
        who,
    } = r;
    let c = collection(&id)?;
    let fmt = json_or_html(&state, &q, &headers)?;
    let out_crs = match params::get(&q, "crs")? {
        None => crs::crs84(),
        Some(v) => {
            crs::parse(v).ok_or_else(|| FeaturesError::BadParam(crs::unsupported("crs", v)))?
        }
    };
    let row: Option<(String, Option<String>, String, String)> = query::one(c, &fid, out_crs, &who)?
        .build_query_as()
        .fetch_optional(&state.pool)
        .await
        .map_err(FeaturesError::db("reading one feature"))?;
    let Some((fid, geom, props, etag)) = row else {
        return Err(FeaturesError::NoFeature(c.id, fid));
    };
    let base = &state.settings.base_url;
    let self_href = format!("{base}/collections/{}/items/{}", c.id, urlencode(&fid));
    if fmt == Format::Html {
        let props: Value = serde_json::from_str(&props).unwrap_or(json!({}));
        let v = html::View::new(
            &format!("/collections/{}/items/{}", c.id, urlencode(&fid)),
            &q,
            &headers,
        );
        return Ok(Html(html::item(c, &fid, &props, geom.as_deref(), &v)).into_response());
    }
    let links = vec![
        Link::new(self_href.clone(), "self", format::GEOJSON, "This feature"),
        Link::new(
            format!("{self_href}?f=html"),
            "alternate",
            format::HTML,
            "This feature as HTML",
        ),
        Link::new(
            format!("{base}/collections/{}", c.id),
            "collection",
            format::JSON,
            "The collection",
        ),
    ];
    let feature = feature_text(c, &fid, geom.as_deref(), &props);
    let body = format!(
        "{},\"links\":{}}}",
        &feature[..feature.len() - 1],
        serde_json::to_string(&links).unwrap_or_else(|_| "[]".into())
    );
    let etag =
        HeaderValue::from_str(&format!("\"{etag}\"")).unwrap_or(HeaderValue::from_static("\"\""));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format::GEOJSON),
            ),
            (CONTENT_CRS, content_crs(out_crs.uri)),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response())
}
