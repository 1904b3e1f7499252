//! Writes on `projects`: scope rules (planner: its municipalities; partner: its own projects),
//! optimistic locking on `revision`, and a `project_event` for every change.
use serde_json::{json, Map, Value};
use sqlx::{PgPool, Postgres, QueryBuilder, Transaction};

use super::sql::{
    self, columns, constraint, push_val, Val, PROGRESS, PROJECT_COLUMNS, PROJECT_READ_ONLY,
};
use super::{Current, Input};
use crate::features::scope::{project_visibility, Who};
use crate::features::{FResult, FeaturesError};
use crate::projects::{asof, rules};

/// Accepted on input besides the columns: a progress report and an explicit correction.
const EXTRA: &[&str] = &[PROGRESS, "correction", "reason"];

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
            // the one scope rule (auth::Caller::can_edit_project on mk_project_municipalities,
            // migration 0013): every municipality the project lies in is one of the key's
            qb.push("(cardinality(mk_project_municipalities(t.id)) > 0 AND mk_project_municipalities(t.id) <@ ")
                .push_bind(municipalities.clone())
                .push("::text[])");
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
            return Err(FeaturesError::BadParam(format!(
                "property `{name}` must not be negative"
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
            sql::check_geometry(tx, g, input.crs, GEOMETRY_TYPES).await?;
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

/// After the locations of project `id` were written (and assigned by the database): a planner's
/// locations must lie inside its municipalities, by the same rule as edit rights (403 naming
/// where they lie, with shares; the transaction is dropped, nothing is kept).
async fn check_scope(tx: &mut Transaction<'_, Postgres>, who: &Who, id: i64) -> FResult<()> {
    let Who::Planner { municipalities, .. } = who else {
        return Ok(());
    };
    let (lies_in, shares): (Vec<String>, String) =
        sqlx::query_as("SELECT mk_project_municipalities($1), mk_project_municipality_shares($1)")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    if lies_in.is_empty() || !lies_in.iter().all(|m| municipalities.contains(m)) {
        return Err(FeaturesError::Forbidden(format!(
            "the location lies in {shares}: a planner key may create or edit a location only inside its \
             municipalities ({}); at most 1 % of a line or polygon may fall in another one",
            municipalities.join(", ")
        )));
    }
    Ok(())
}

/// The lifecycle rules shared with the planning API (`mk_event_refusal`): a status change
/// (when the status differs) and a progress report, dated today.
async fn check_lifecycle(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    from_status: &str,
    cols: &[(&str, Val)],
    physical: Option<f64>,
    correction: bool,
) -> FResult<()> {
    let to_status = cols.iter().find_map(|(n, v)| match (*n, v) {
        ("status", Val::Text(s)) if s != from_status => Some(s.as_str()),
        _ => None,
    });
    if to_status.is_none() && physical.is_none() {
        return Ok(());
    }
    let proposed = rules::Proposed {
        to_status,
        date: Some(asof::today()),
        physical_pct: physical.map(|p| p.to_string()),
        correction,
    };
    match rules::refusal(tx, id, &proposed).await? {
        Some(why) => Err(FeaturesError::Conflict(why)),
        None => Ok(()),
    }
}

/// `correction` and `reason` properties: the reason of an explicit correction.
fn correction(props: &Map<String, Value>) -> FResult<Option<String>> {
    let flag = match props.get("correction") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(v) => {
            return Err(FeaturesError::BadParam(format!(
                "property `correction` must be true or false, not {v}"
            )))
        }
    };
    let reason = match props.get("reason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(v) => {
            return Err(FeaturesError::BadParam(format!(
                "property `reason` must be text, not {v}"
            )))
        }
    };
    rules::correction(flag, reason).map_err(FeaturesError::BadParam)
}

fn progress(props: &Map<String, Value>) -> FResult<Option<f64>> {
    match props.get(PROGRESS) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v
            .as_f64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        {
            Some(p) if (0.0..=100.0).contains(&p) => Ok(Some(p)),
            _ => Err(FeaturesError::BadParam(format!(
                "physical_pct must be a number from 0 to 100, not {v}"
            ))),
        },
    }
}

pub async fn create(pool: &PgPool, who: &Who, input: Input) -> FResult<(String, String)> {
    let mut cols = columns(&input.props, PROJECT_COLUMNS, PROJECT_READ_ONLY, EXTRA)?;
    check_partner(who, &mut cols, true)?;
    let physical = progress(&input.props)?;
    let reason = correction(&input.props)?;
    if matches!(who, Who::Planner { .. }) && !matches!(input.geometry, Some(Some(_))) {
        return Err(FeaturesError::Invalid(
            "a planner's project needs a location in one of its municipalities".into(),
        ));
    }
    let mut tx = rules::write_tx(pool).await?;
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
        sql::set_locations(&mut tx, id, Some(g), input.crs).await?;
    }
    check_scope(&mut tx, who, id).await?;
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
            json!({"report_date": asof::today(), "correction": reason.is_some(), "reason": reason}),
        )
        .await?;
    }
    rules::commit(tx).await?;
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
    let mut cols = columns(&input.props, PROJECT_COLUMNS, PROJECT_READ_ONLY, EXTRA)?;
    check_partner(who, &mut cols, false)?;
    let physical = progress(&input.props)?;
    let reason = correction(&input.props)?;
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
    let mut tx = rules::write_tx(pool).await?;
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
    check_lifecycle(&mut tx, id, &from_status, &cols, physical, reason.is_some()).await?;
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
    // as the status endpoint (src/projects/sql/status_update.sql): works starting or received
    // set the actual dates when they are not known yet and not given
    let given = |c: &str| cols.iter().any(|(n, _)| *n == c);
    let new_status = cols.iter().find_map(|(n, v)| match (*n, v) {
        ("status", Val::Text(s)) if s != &from_status => Some(s.as_str()),
        _ => None,
    });
    match new_status {
        Some("works_under_way") if !given("actual_start") => {
            qb.push(", actual_start = coalesce(actual_start, ")
                .push_bind(asof::today())
                .push(")");
        }
        Some("completed") if !given("actual_end") => {
            qb.push(", actual_end = coalesce(actual_end, ")
                .push_bind(asof::today())
                .push(")");
        }
        _ => {}
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
        sql::set_locations(&mut tx, id, g.as_deref(), input.crs).await?;
        check_scope(&mut tx, who, id).await?;
    }
    let kind = if from_status != to_status {
        "status"
    } else {
        "updated"
    };
    let data = json!({"properties": input.props, "geometry_changed": replace_geom.is_some(), "method": if patch { "PATCH" } else { "PUT" },
                      "date": asof::today(), "correction": reason.is_some(), "reason": reason});
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
            json!({"report_date": asof::today(), "correction": reason.is_some(), "reason": reason}),
        )
        .await?;
    }
    rules::commit(tx).await?;
    Ok(Some(etag(id, new_rev)))
}

pub async fn delete(
    pool: &PgPool,
    who: &Who,
    fid: &str,
    expected: &str,
) -> FResult<Option<String>> {
    let id = parse_id(fid)?;
    let mut tx = rules::write_tx(pool).await?;
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
    rules::commit(tx).await?;
    tracing::info!(project = id, author = %who.author(), "project deleted through OGC API");
    Ok(None)
}
