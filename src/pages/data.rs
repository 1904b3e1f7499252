//! What the pages read, each through the query the API answers with (one visibility rule, one
//! geometry expression): nothing here is a second copy of a rule.
use std::collections::HashSet;

use serde_json::Value;
use sqlx::PgPool;

use crate::{
    auth::Caller,
    error::{AppError, AppResult},
    features::{
        read::{crs, params, query},
        FeaturesError,
    },
    indicators::query as indicators,
    layers::projects::PROJECTS,
    projects::{self, access, ProjectsError},
    territory::{queries as territory, TerritoryError},
};

/// Everything a project page shows.
pub struct ProjectData {
    /// The `projects` feature's properties (titles, descriptions, status names, dates…).
    pub props: Value,
    /// The project's geometry as the features layer gives it to this caller (GeoJSON or null).
    pub geometry: Value,
    /// `GET /api/projects/{code}/context`.
    pub context: Value,
    /// `GET /api/projects/{code}/history`.
    pub history: Value,
    /// The municipalities it is assigned to: (code, outline GeoJSON), drawn around it.
    pub outlines: Vec<(String, Value)>,
    /// status → (name_fr, name_ar).
    pub statuses: Vec<(String, String, String)>,
}

/// Everything a unit page shows.
pub struct UnitData {
    pub unit: territory::UnitDetail,
    /// `GET /api/units/{level}/{code}/diagnosis` (key figures, the caller's visible projects).
    pub diagnosis: Value,
    /// Those projects' geometries through the features layer: (code, name props, GeoJSON).
    pub projects: Vec<(String, Value, Value)>,
}

fn json(text: &str) -> AppResult<Value> {
    serde_json::from_str(text).map_err(|e| AppError::internal("a page's JSON", e))
}

/// One `projects` feature (visibility and geometry as the layer has them).
async fn feature(pool: &PgPool, id: i64, who: &Caller) -> AppResult<Option<(Value, Value)>> {
    let row: Option<(String, Option<String>, String, String)> =
        query::one(&PROJECTS, &id.to_string(), crs::crs84(), who)?
            .build_query_as()
            .fetch_optional(pool)
            .await
            .map_err(FeaturesError::db("reading a project for its page"))?;
    Ok(match row {
        None => None,
        Some((_, g, props, _)) => Some((
            json(&props)?,
            g.as_deref().map(json).transpose()?.unwrap_or(Value::Null),
        )),
    })
}

/// The project `code` as `caller` may see it; `None` when not found or not visible.
pub async fn project(pool: &PgPool, code: &str, caller: &Caller) -> AppResult<Option<ProjectData>> {
    let p = match access::visible(pool, code, caller).await {
        Ok(p) => p,
        Err(ProjectsError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some((props, geometry)) = feature(pool, p.id, caller).await? else {
        return Ok(None);
    };
    let context = json(&projects::context_json(pool, p.id, None, &caller.visibility()).await?)?;
    let history = json(&projects::history_json(pool, p.id).await?)?;
    let mut outlines = Vec::new();
    let munis = context["units"]["municipality"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for m in munis.iter().filter_map(|m| m["unit_code"].as_str()).take(6) {
        if let Ok(u) = territory::unit(pool, "municipality", m).await {
            outlines.push((u.names.code, u.geometry));
        }
    }
    let statuses = sqlx::query_as(include_str!("sql/statuses.sql"))
        .fetch_all(pool)
        .await?;
    Ok(Some(ProjectData {
        props,
        geometry,
        context,
        history,
        outlines,
        statuses,
    }))
}

/// The unit `level`/`code` now, with its figures and the projects `caller` may see; `None` when
/// the level or the unit does not exist.
pub async fn unit(
    pool: &PgPool,
    level: &str,
    code: &str,
    caller: &Caller,
) -> AppResult<Option<UnitData>> {
    let code = code.trim();
    let unit = match territory::unit(pool, level, code).await {
        Ok(u) => u,
        Err(TerritoryError::UnitNotFound { .. } | TerritoryError::UnknownLevel { .. }) => {
            return Ok(None)
        }
        Err(TerritoryError::LevelNotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let gov = indicators::unit_governorate(pool, level, code, None).await?;
    indicators::ensure_fresh(pool).await?;
    let vis = caller.visibility();
    let diagnosis =
        json(&indicators::diagnosis(pool, level, code, None, gov.as_deref(), &vis).await?)?;
    let wanted: HashSet<&str> = diagnosis["projects"]["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["code"].as_str()).collect())
        .unwrap_or_default();
    let mut projects = Vec::new();
    if let [x0, y0, x1, y1] = unit.bbox[..] {
        let pairs = vec![
            ("bbox".to_string(), format!("{x0},{y0},{x1},{y1}")),
            ("limit".to_string(), "1000".to_string()),
            (
                "properties".to_string(),
                "code,title_fr,title_ar,title_en".to_string(),
            ),
        ];
        let p = params::parse_items(&PROJECTS, &pairs)?;
        let rows: Vec<(String, Option<String>, String)> =
            query::page(&PROJECTS, &p, caller, query::GeomOut::GeoJson)?
                .build_query_as()
                .fetch_all(pool)
                .await
                .map_err(FeaturesError::db("reading a unit's projects for its page"))?;
        for (_, g, props) in rows {
            let props = json(&props)?;
            let code = props["code"].as_str().unwrap_or("").to_string();
            if wanted.contains(code.as_str()) {
                let g = g.as_deref().map(json).transpose()?.unwrap_or(Value::Null);
                projects.push((code, props, g));
            }
        }
    }
    Ok(Some(UnitData {
        unit,
        diagnosis,
        projects,
    }))
}
