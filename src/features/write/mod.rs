//! Part 4 over HTTP: `OPTIONS` (with an `Allow` header that reflects what the caller's key may
//! do), `POST` → 201 + `Location`, `PUT`, `PATCH` (`application/merge-patch+json`), `DELETE`,
//! `ETag`/`If-Match` (412 on a stale tag), `Content-Crs` on input.
mod area;
mod known;
mod landuse;
mod new_row;
mod project_checks;
mod projects;
mod sql;
mod zones;

use axum::{
    body::Bytes,
    extract::{Path, Query},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Map, Value};

use crate::auth::Caller;
use crate::features::read::collections::extras;
use crate::features::read::crs::{self, Crs};
use crate::features::read::feature::{CollectionRequest, FeatureRequest};
use crate::features::read::params::{check_meta, Pairs};
use crate::features::render::url::urlencode;
use crate::features::Ctx;
use crate::features::{collection, FResult, FeaturesError};
use crate::layers::{Layer, Writable};
use crate::projects::rules::{retry_once, Transient};

impl Transient for FeaturesError {
    fn transient(&self) -> bool {
        matches!(self, FeaturesError::Db { source, .. } if crate::projects::rules::is_transient(source))
    }
}

const READ: &str = "GET, HEAD, OPTIONS";

/// The parsed body of a write.
#[derive(Clone)]
pub struct Input {
    /// `None`: no `geometry` member; `Some(None)`: `null`; `Some(Some(json))`: a geometry.
    pub geometry: Option<Option<String>>,
    pub props: Map<String, Value>,
    pub crs: &'static Crs,
}

/// The feature a change is made to, and the version the caller read.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub pool: &'a sqlx::PgPool,
    pub who: &'a Caller,
    pub fid: &'a str,
    pub expected: &'a str,
}

/// What the existing row looks like to this caller.
pub struct Current {
    pub etag: String,
    pub may_edit: bool,
}

fn method_not_allowed(allow: &str, what: &str) -> Response {
    let mut r = (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({"code": "MethodNotAllowed", "description": what})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(allow) {
        r.headers_mut().insert(header::ALLOW, v);
    }
    r
}

fn allow_response(allow: &str) -> Response {
    let mut r = StatusCode::OK.into_response();
    if let Ok(v) = HeaderValue::from_str(allow) {
        r.headers_mut().insert(header::ALLOW, v);
    }
    r
}

/// May `who` create features in `c`?
pub fn can_create(who: &Caller, c: &Layer) -> bool {
    match (c.writable, who) {
        (Writable::Projects, Caller::Admin { .. } | Caller::Partner { .. }) => true,
        (Writable::Projects, Caller::Planner { municipalities, .. }) => !municipalities.is_empty(),
        (Writable::Landuse | Writable::Zones, Caller::Admin { .. }) => true,
        (Writable::Zones, Caller::Planner { municipalities, .. }) => !municipalities.is_empty(),
        _ => false,
    }
}

/// Collection `id`, to be changed by `who`: `Ok(Err(405))` when it is read-only, 401 without a key.
fn writable(
    state: &Ctx,
    id: &str,
    q: &Pairs,
    who: &Caller,
) -> FResult<Result<&'static Layer, Response>> {
    let c = collection(id)?;
    check_meta(q, extras(state))?;
    if c.writable == Writable::No {
        return Ok(Err(method_not_allowed(
            READ,
            &format!("{} is read-only", c.id),
        )));
    }
    need_key(who, c)?;
    Ok(Ok(c))
}

fn need_key(who: &Caller, c: &Layer) -> FResult<()> {
    match who {
        Caller::Anonymous => Err(FeaturesError::Unauthorized(format!(
            "changing {} needs an API key: send `Authorization: Bearer <key>`, `X-API-Key: <key>` or `?api_key=<key>`",
            c.id
        ))),
        _ => Ok(()),
    }
}

pub async fn options_items(
    state: Ctx,
    Path(id): Path<String>,
    Query(q): Query<Pairs>,
    who: Caller,
) -> FResult<Response> {
    let c = collection(&id)?;
    check_meta(&q, extras(&state))?;
    let allow = if can_create(&who, c) {
        format!("{READ}, POST")
    } else {
        READ.to_string()
    };
    Ok(allow_response(&allow))
}

async fn current(state: &Ctx, c: &'static Layer, fid: &str, who: &Caller) -> FResult<Current> {
    match c.writable {
        Writable::Projects => projects::current(&state.pool, fid, who).await,
        Writable::Zones => zones::current(&state.pool, fid, who).await,
        _ => landuse::current(&state.pool, c, fid, who).await,
    }
}

pub async fn options_item(
    state: Ctx,
    Path((id, fid)): Path<(String, String)>,
    Query(q): Query<Pairs>,
    who: Caller,
) -> FResult<Response> {
    let c = collection(&id)?;
    check_meta(&q, extras(&state))?;
    if c.writable == Writable::No {
        return Ok(allow_response(READ));
    }
    let cur = current(&state, c, &fid, &who).await?;
    let allow = if cur.may_edit {
        format!("{READ}, PUT, PATCH, DELETE")
    } else {
        READ.to_string()
    };
    Ok(allow_response(&allow))
}

// size: the body checks run in the order the OGC rules state them, each with its own 4xx
/// Parse a GeoJSON feature (or a merge patch) from the body.
fn parse_input(headers: &HeaderMap, body: &Bytes, patch: bool) -> FResult<Input> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mt = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let ok = matches!(mt.as_str(), "application/geo+json" | "application/json")
        || (patch && mt == "application/merge-patch+json");
    if !ok {
        return Err(FeaturesError::UnsupportedMedia(format!(
            "Content-Type `{ct}` is not accepted; send {}",
            if patch {
                "application/merge-patch+json (or application/geo+json)"
            } else {
                "application/geo+json"
            }
        )));
    }
    let crs = match headers.get("content-crs").map(|v| v.to_str()) {
        None => crs::crs84(),
        Some(Err(_)) => {
            return Err(FeaturesError::BadParam(
                "the Content-Crs header is not ASCII; give a CRS URI such as <http://www.opengis.net/def/crs/EPSG/0/22391>".into(),
            ))
        }
        Some(Ok(v)) if v.trim().trim_start_matches('<').trim_end_matches('>').is_empty() => {
            return Err(FeaturesError::BadParam(
                "the Content-Crs header is empty; give a CRS URI such as <http://www.opengis.net/def/crs/EPSG/0/22391>, or leave the header out for CRS84".into(),
            ))
        }
        Some(Ok(v)) => {
            let v = v.trim().trim_start_matches('<').trim_end_matches('>');
            crs::parse(v)
                .ok_or_else(|| FeaturesError::BadParam(crs::unsupported("Content-Crs", v)))?
        }
    };
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        FeaturesError::BadParam(format!(
            "the body is not JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(mut obj) = v else {
        return Err(FeaturesError::BadParam(
            "the body must be a GeoJSON Feature object".into(),
        ));
    };
    match obj.get("type") {
        Some(Value::String(t)) if t == "Feature" => {}
        None if patch => {}
        Some(other) => {
            return Err(FeaturesError::BadParam(format!(
                "the body must be a GeoJSON Feature, not type {other}"
            )))
        }
        None => {
            return Err(FeaturesError::BadParam(
                "the body must be a GeoJSON Feature (\"type\": \"Feature\")".into(),
            ))
        }
    }
    let geometry = match obj.remove("geometry") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(g @ Value::Object(_)) => {
            crate::guard::check_geojson_geometry(&g)
                .map_err(|e| FeaturesError::BadParam(format!("geometry: {e}")))?;
            Some(Some(g.to_string()))
        }
        Some(other) => {
            return Err(FeaturesError::BadParam(format!(
                "geometry must be a GeoJSON geometry object or null, not {other}"
            )))
        }
    };
    let props = match obj.remove("properties") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(FeaturesError::BadParam(format!(
                "properties must be an object, not {other}"
            )))
        }
    };
    Ok(Input {
        geometry,
        props,
        crs,
    })
}

/// `If-Match`: absent is fine (QGIS sends none); otherwise one of the tags (or `*`) must match.
fn check_if_match(headers: &HeaderMap, etag: &str) -> FResult<()> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let v = v.to_str().unwrap_or("");
    let matches = v
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|t| t == "*" || t == etag);
    if matches {
        Ok(())
    } else {
        Err(FeaturesError::Stale(format!(
            "If-Match {v} does not match the current version \"{etag}\": the feature changed since you read it; GET it again"
        )))
    }
}

fn etag_header(etag: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{etag}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

pub async fn create(state: Ctx, req: CollectionRequest, body: Bytes) -> FResult<Response> {
    let who = &req.who;
    let c = match writable(&state, &req.path, &req.q, who)? {
        Ok(c) => c,
        Err(read_only) => return Ok(read_only),
    };
    if !can_create(who, c) {
        return Err(FeaturesError::Forbidden(format!(
            "this key may not create features in {}",
            c.id
        )));
    }
    let input = parse_input(&req.headers, &body, false)?;
    let (new_id, etag) = match c.writable {
        Writable::Projects => {
            retry_once(|| projects::create(&state.pool, who, input.clone())).await?
        }
        Writable::Zones => retry_once(|| zones::create(&state.pool, who, input.clone())).await?,
        _ => retry_once(|| landuse::create(&state.pool, who, input.clone())).await?,
    };
    let location = format!(
        "{}/collections/{}/items/{}",
        state.settings.base_url,
        c.id,
        urlencode(&new_id)
    );
    let mut r = (StatusCode::CREATED, Json(json!({"id": new_id, "links": [{"href": location, "rel": "self", "type": "application/geo+json", "title": "The new feature"}]}))).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut().insert(header::ETAG, etag_header(&etag));
    Ok(r)
}

async fn change(
    state: Ctx,
    req: FeatureRequest,
    body: Option<Bytes>,
    patch: bool,
) -> FResult<Response> {
    let ((id, fid), who, headers) = (&req.path, &req.who, &req.headers);
    let c = match writable(&state, id, &req.q, who)? {
        Ok(c) => c,
        Err(read_only) => return Ok(read_only),
    };
    let cur = current(&state, c, fid, who).await?;
    if !cur.may_edit {
        return Err(FeaturesError::Forbidden(format!(
            "this key may not change feature {fid} of {}",
            c.id
        )));
    }
    check_if_match(headers, &cur.etag)?;
    let input = body.map(|b| parse_input(headers, &b, patch)).transpose()?;
    let t = Target {
        pool: &state.pool,
        who,
        fid,
        expected: &cur.etag,
    };
    let etag = match (c.writable, input) {
        (Writable::Projects, Some(input)) => {
            retry_once(|| projects::update(&t, input.clone(), patch)).await?
        }
        (Writable::Projects, None) => retry_once(|| projects::delete(&t)).await?,
        (Writable::Zones, Some(input)) => {
            retry_once(|| zones::update(&t, input.clone(), patch)).await?
        }
        (Writable::Zones, None) => retry_once(|| zones::delete(&t)).await?,
        (_, Some(input)) => retry_once(|| landuse::update(&t, input.clone(), patch)).await?,
        (_, None) => retry_once(|| landuse::delete(&t)).await?,
    };
    let mut r = StatusCode::NO_CONTENT.into_response();
    if let Some(etag) = etag {
        r.headers_mut().insert(header::ETAG, etag_header(&etag));
    }
    Ok(r)
}

/// `PUT` (replace) and `PATCH` (merge patch) of one feature.
pub async fn put_or_patch(
    state: Ctx,
    method: Method,
    r: FeatureRequest,
    body: Bytes,
) -> FResult<Response> {
    change(state, r, Some(body), method == Method::PATCH).await
}

pub async fn delete(state: Ctx, r: FeatureRequest) -> FResult<Response> {
    change(state, r, None, false).await
}
