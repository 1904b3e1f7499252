//! Writes on `projects`: scope rules (planner: its municipalities; partner: its own projects),
//! optimistic locking on `revision`, and a `project_event` for every change.
use serde_json::{json, Map, Value};
use sqlx::{PgPool, Postgres, QueryBuilder, Transaction};

use super::scope::{project_visibility, Who};
use super::write::{Current, Input};
use super::write_sql::{
    self, columns, constraint, push_val, Val, PROGRESS, PROJECT_COLUMNS, PROJECT_READ_ONLY,
};
use super::{FResult, FeaturesError};

const GEOMETRY_TYPES: &[&str] = &[
    "POINT",
    "MULTIPOINT",
    "LINESTRING",
    "MULTILINESTRING",
    "POLYGON",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
];

fn etag(id: i64, revision: i32) -> String {
    format!("p{id}-r{revision}")
}

fn parse_id(fid: &str) -> FResult<i64> {
    fid.parse()
        .map_err(|_| FeaturesError::NoFeature("projects", fid.to_string()))
}

/// Push "may `who` change project `t`".
fn push_may_edit(qb: &mut QueryBuilder<'_, Postgres>, who: &Who) {
    match who {
        Who::Admin { .. } => {
            qb.push("TRUE");
        }
        Who::Anonymous => {
            qb.push("FALSE");
        }
        Who::Partner { partner, .. } => {
            qb.push("coalesce(t.partner = ")
                .push_bind(partner.clone())
                .push(", false)");
        }
        Who::Planner { municipalities, .. } => {
            // edit rights of this write path, unchanged by the visibility rule (issue 8): a
            // location of the project lies in one of the key's municipalities (current boundaries)
            qb.push(
                "EXISTS (SELECT 1 FROM project_location pl JOIN admin_unit_current mu \
                 ON mu.level = 'municipality' AND ST_Intersects(mu.geom, pl.geom) \
                 WHERE pl.project_id = t.id AND mu.code = ANY(",
            )
            .push_bind(municipalities.clone())
            .push("))");
        }
    }
}

/// The project as this caller sees it: 404 when invisible.
pub async fn current(pool: &PgPool, fid: &str, who: &Who) -> FResult<Current> {
    let id = parse_id(fid)?;
    let mut qb = QueryBuilder::new("SELECT t.revision, ");
    push_may_edit(&mut qb, who);
    qb.push(" FROM project t WHERE t.id = ")
        .push_bind(id)
        .push(" AND ");
    project_visibility(&mut qb, who, "t");
    let row: Option<(i32, bool)> = qb.build_query_as().fetch_optional(pool).await?;
    let (revision, may_edit) =
        row.ok_or_else(|| FeaturesError::NoFeature("projects", fid.to_string()))?;
    Ok(Current {
        etag: etag(id, revision),
        may_edit,
    })
}

async fn check_status(tx: &mut Transaction<'_, Postgres>, cols: &[(&str, Val)]) -> FResult<()> {
    for (name, v) in cols {
        if *name == "status" {
            let Val::Text(s) = v else {
                return Err(FeaturesError::Invalid("status cannot be empty".into()));
            };
            let known: Vec<String> =
                sqlx::query_scalar("SELECT status FROM project_status ORDER BY rank")
                    .fetch_all(&mut **tx)
                    .await?;
            if !known.contains(s) {
                return Err(FeaturesError::Invalid(format!(
                    "status `{s}` is not one of: {}",
                    known.join(", ")
                )));
            }
        }
        if matches!((*name, v), ("budget_tnd", Val::Num(n)) if *n < 0.0)
            || matches!((*name, v), ("beneficiaries", Val::Int(n)) if *n < 0)
        {
            return Err(FeaturesError::Invalid(format!(
                "{name} must not be negative"
            )));
        }
        if matches!((*name, v), ("code" | "is_public", Val::Null)) {
            return Err(FeaturesError::Invalid(format!("{name} cannot be null")));
        }
    }
    Ok(())
}

/// Partner keys write only their own partner's projects.
fn check_partner(who: &Who, cols: &mut Vec<(&'static str, Val)>, creating: bool) -> FResult<()> {
    if let Who::Partner { partner, .. } = who {
        match cols
            .iter()
            .find(|(n, _)| *n == "partner")
            .map(|(_, v)| v.clone())
        {
            Some(Val::Text(p)) if &p == partner => {}
            None if !creating => {}
            None | Some(Val::Null) if creating => {
                cols.push(("partner", Val::Text(partner.clone())))
            }
            Some(other) => {
                return Err(FeaturesError::Forbidden(format!(
                    "a key of partner `{partner}` cannot set partner to {other:?}"
                )))
            }
            None => {}
        }
    }
    Ok(())
}

async fn check_geometry(
    tx: &mut Transaction<'_, Postgres>,
    who: &Who,
    input: &Input,
) -> FResult<()> {
    match (&input.geometry, who) {
        (Some(Some(g)), _) => {
            write_sql::check_geometry(tx, g, input.crs, GEOMETRY_TYPES).await?;
            if let Who::Planner { municipalities, .. } = who {
                if !write_sql::geometry_in_municipalities(tx, g, input.crs, municipalities).await? {
                    return Err(FeaturesError::Forbidden(format!(
                        "every location must lie in one of this key's municipalities ({})",
                        municipalities.join(", ")
                    )));
                }
            }
        }
        (_, Who::Planner { .. }) if input.geometry.is_some() => {
            return Err(FeaturesError::Invalid(
                "a planner's project needs a location in one of its municipalities".into(),
            ))
        }
        _ => {}
    }
    Ok(())
}

async fn event(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    kind: &str,
    who: &Who,
    status: (Option<String>, Option<String>),
    physical: Option<f64>,
    data: Value,
) -> FResult<()> {
    sqlx::query(
        "INSERT INTO project_event (project_id, project_code, kind, author, from_status, to_status, physical_pct, note, data) \
         SELECT $1, coalesce((SELECT code FROM project WHERE id = $1), $8->>'code', ''), $2, $3, $4, $5, $6::numeric, 'OGC API – Features', $7",
    )
    .bind(id)
    .bind(kind)
    .bind(who.author())
    .bind(status.0)
    .bind(status.1)
    .bind(physical)
    .bind(data.clone())
    .bind(data)
    .execute(&mut **tx)
    .await
    .map_err(constraint)?;
    Ok(())
}

fn progress(props: &Map<String, Value>) -> FResult<Option<f64>> {
    match props.get(PROGRESS) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v
            .as_f64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        {
            Some(p) if (0.0..=100.0).contains(&p) => Ok(Some(p)),
            _ => Err(FeaturesError::Invalid(format!(
                "physical_pct must be a number from 0 to 100, not {v}"
            ))),
        },
    }
}

pub async fn create(pool: &PgPool, who: &Who, input: Input) -> FResult<(String, String)> {
    let mut cols = columns(
        &input.props,
        PROJECT_COLUMNS,
        PROJECT_READ_ONLY,
        &[PROGRESS],
    )?;
    check_partner(who, &mut cols, true)?;
    let physical = progress(&input.props)?;
    if matches!(who, Who::Planner { .. }) && !matches!(input.geometry, Some(Some(_))) {
        return Err(FeaturesError::Invalid(
            "a planner's project needs a location in one of its municipalities".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    check_status(&mut tx, &cols).await?;
    check_geometry(&mut tx, who, &input).await?;
    let id: i64 = sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('project', 'id'))")
        .fetch_one(&mut *tx)
        .await?;
    if !cols.iter().any(|(n, _)| *n == "code") {
        cols.push(("code", Val::Text(format!("MK-{id}"))));
    }
    let mut qb = QueryBuilder::new("INSERT INTO project (id");
    for (name, _) in &cols {
        qb.push(", ").push(*name);
    }
    qb.push(") VALUES (").push_bind(id);
    for (_, v) in &cols {
        qb.push(", ");
        push_val(&mut qb, v);
    }
    qb.push(")");
    qb.build().execute(&mut *tx).await.map_err(constraint)?;
    if let Some(Some(g)) = &input.geometry {
        write_sql::set_locations(&mut tx, id, Some(g), input.crs).await?;
    }
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM project WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    event(
        &mut tx,
        id,
        "created",
        who,
        (None, status),
        None,
        json!({"properties": input.props}),
    )
    .await?;
    if physical.is_some() {
        event(
            &mut tx,
            id,
            "progress",
            who,
            (None, None),
            physical,
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(project = id, author = %who.author(), "project created through OGC API");
    Ok((id.to_string(), etag(id, 1)))
}

pub async fn update(
    pool: &PgPool,
    who: &Who,
    fid: &str,
    expected: &str,
    input: Input,
    patch: bool,
) -> FResult<Option<String>> {
    let id = parse_id(fid)?;
    let mut cols = columns(
        &input.props,
        PROJECT_COLUMNS,
        PROJECT_READ_ONLY,
        &[PROGRESS],
    )?;
    check_partner(who, &mut cols, false)?;
    let physical = progress(&input.props)?;
    if !patch {
        // replace: what is not given is emptied, except what cannot be empty
        for (name, _) in PROJECT_COLUMNS {
            if !cols.iter().any(|(n, _)| n == name)
                && !matches!(*name, "code" | "status" | "is_public" | "partner")
            {
                cols.push((name, Val::Null));
            }
        }
    }
    let mut tx = pool.begin().await?;
    let (revision, from_status): (i32, String) =
        sqlx::query_as("SELECT revision, status FROM project WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| FeaturesError::NoFeature("projects", fid.to_string()))?;
    if etag(id, revision) != expected {
        return Err(FeaturesError::Stale(
            "the feature changed while this request was checked; GET it again".into(),
        ));
    }
    check_status(&mut tx, &cols).await?;
    let replace_geom = if patch {
        input.geometry.clone()
    } else {
        Some(input.geometry.clone().flatten())
    };
    check_geometry(
        &mut tx,
        who,
        &Input {
            geometry: replace_geom.clone(),
            props: Map::new(),
            crs: input.crs,
        },
    )
    .await?;
    let mut qb =
        QueryBuilder::new("UPDATE project SET revision = revision + 1, updated_at = now()");
    for (name, v) in &cols {
        qb.push(", ").push(*name).push(" = ");
        push_val(&mut qb, v);
    }
    qb.push(" WHERE id = ")
        .push_bind(id)
        .push(" RETURNING revision, status");
    let (new_rev, to_status): (i32, String) = qb
        .build_query_as()
        .fetch_one(&mut *tx)
        .await
        .map_err(constraint)?;
    if let Some(g) = &replace_geom {
        write_sql::set_locations(&mut tx, id, g.as_deref(), input.crs).await?;
    }
    let kind = if from_status != to_status {
        "status"
    } else {
        "updated"
    };
    let data = json!({"properties": input.props, "geometry_changed": replace_geom.is_some(), "method": if patch { "PATCH" } else { "PUT" }});
    event(
        &mut tx,
        id,
        kind,
        who,
        (Some(from_status), Some(to_status)),
        None,
        data,
    )
    .await?;
    if physical.is_some() {
        event(
            &mut tx,
            id,
            "progress",
            who,
            (None, None),
            physical,
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(etag(id, new_rev)))
}

pub async fn delete(
    pool: &PgPool,
    who: &Who,
    fid: &str,
    expected: &str,
) -> FResult<Option<String>> {
    let id = parse_id(fid)?;
    let mut tx = pool.begin().await?;
    let row: Option<(i32, String, Value)> = sqlx::query_as(
        "SELECT revision, status, to_jsonb(p) - 'attrs' FROM project p WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (revision, status, snapshot) =
        row.ok_or_else(|| FeaturesError::NoFeature("projects", fid.to_string()))?;
    if etag(id, revision) != expected {
        return Err(FeaturesError::Stale(
            "the feature changed while this request was checked; GET it again".into(),
        ));
    }
    event(
        &mut tx,
        id,
        "deleted",
        who,
        (Some(status), None),
        None,
        json!({"project": snapshot}),
    )
    .await?;
    sqlx::query("DELETE FROM project WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(project = id, author = %who.author(), "project deleted through OGC API");
    Ok(None)
}
