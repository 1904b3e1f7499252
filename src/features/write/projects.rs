//! Writes on `projects`: scope rules (planner: its municipalities; partner: its own projects),
//! optimistic locking on `revision`, and a `project_event` for every change.
use serde_json::{json, Map, Value};
use sqlx::{PgPool, Postgres, QueryBuilder};

use super::new_row::NewRow;
use super::project_checks::{
    check_geometry, check_lifecycle, check_partner, check_scope, check_status, correction,
    disclosure, event, progress, progress_event,
};
use super::sql::{self, columns, constraint, Val, PROGRESS, PROJECT_COLUMNS, PROJECT_READ_ONLY};
use super::{Current, Input, Target};
use crate::auth::Caller;
use crate::features::scope::project_visibility;
use crate::features::{FResult, FeaturesError};
use crate::projects::{asof, rules};

/// Accepted on input besides the columns: a progress report, an explicit correction and the
/// disclosure level of the locations.
const EXTRA: &[&str] = &[PROGRESS, "correction", "reason", "disclosure"];

const NEW_ROW: NewRow = NewRow {
    table: "project",
    key: "code",
    label: |id| format!("MK-{id}"),
    what: "inserting a project",
};

fn etag(id: i64, revision: i32) -> String {
    format!("p{id}-r{revision}")
}

fn parse_id(fid: &str) -> FResult<i64> {
    fid.parse()
        .map_err(|_| FeaturesError::NoFeature("projects", fid.to_string()))
}

/// Push "may `who` change project `t`".
fn push_may_edit(qb: &mut QueryBuilder<'_, Postgres>, who: &Caller) {
    match who {
        Caller::Admin { .. } => {
            qb.push("TRUE");
        }
        Caller::Anonymous => {
            qb.push("FALSE");
        }
        Caller::Partner { partner, .. } => {
            qb.push("coalesce(t.partner = ")
                .push_bind(partner.clone())
                .push(", false)");
        }
        Caller::Planner { municipalities, .. } => {
            // the one scope rule (auth::Caller::can_edit_project on mk_project_municipalities,
            // migration 0013): every municipality the project lies in is one of the key's
            qb.push("(cardinality(mk_project_municipalities(t.id)) > 0 AND mk_project_municipalities(t.id) <@ ")
                .push_bind(municipalities.clone())
                .push("::text[])");
        }
    }
}

/// The project as this caller sees it: 404 when invisible.
pub async fn current(pool: &PgPool, fid: &str, who: &Caller) -> FResult<Current> {
    let id = parse_id(fid)?;
    let mut qb = QueryBuilder::new("SELECT t.revision, ");
    push_may_edit(&mut qb, who);
    qb.push(" FROM project t WHERE t.id = ")
        .push_bind(id)
        .push(" AND ");
    project_visibility(&mut qb, who, "t");
    let row: Option<(i32, bool)> = qb
        .build_query_as()
        .fetch_optional(pool)
        .await
        .map_err(FeaturesError::db("reading the project revision"))?;
    let (revision, may_edit) =
        row.ok_or_else(|| FeaturesError::NoFeature("projects", fid.to_string()))?;
    Ok(Current {
        etag: etag(id, revision),
        may_edit,
    })
}

pub async fn create(pool: &PgPool, who: &Caller, input: Input) -> FResult<(String, String)> {
    let mut cols = columns(&input.props, &PROJECT_COLUMNS, PROJECT_READ_ONLY, EXTRA)?;
    check_partner(who, &mut cols, true)?;
    let physical = progress(&input.props)?;
    let reason = correction(&input.props)?;
    let level = disclosure(&input.props)?;
    if matches!(who, Caller::Planner { .. }) && !matches!(input.geometry, Some(Some(_))) {
        return Err(FeaturesError::Invalid(
            "a planner's project needs a location in one of its municipalities".into(),
        ));
    }
    let mut tx = rules::write_tx(pool)
        .await
        .map_err(FeaturesError::db("starting a project write"))?;
    check_status(&mut tx, &cols).await?;
    check_geometry(&mut tx, who, &input).await?;
    let id = NEW_ROW.id(&mut tx, &mut cols).await?;
    let mut qb = QueryBuilder::new("INSERT INTO project (id");
    sql::push_names(&mut qb, &cols);
    qb.push(") VALUES (").push_bind(id);
    NEW_ROW.insert(&mut tx, qb, &cols).await?;
    if let Some(Some(g)) = &input.geometry {
        sql::set_locations(&mut tx, id, Some(g), input.crs).await?;
    }
    sql::set_disclosure(&mut tx, id, level).await?;
    check_scope(&mut tx, who, id).await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM project WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(FeaturesError::db("reading the new project status"))?;
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
    progress_event(&mut tx, id, who, physical, &reason).await?;
    rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a new project"))?;
    tracing::info!(project = id, author = %who.author(), "project created through OGC API");
    Ok((id.to_string(), etag(id, 1)))
}

// size: one transaction from the row lock to the event; its steps are already helpers in project_checks
pub async fn update(t: &Target<'_>, input: Input, patch: bool) -> FResult<Option<String>> {
    let id = parse_id(t.fid)?;
    let mut cols = columns(&input.props, &PROJECT_COLUMNS, PROJECT_READ_ONLY, EXTRA)?;
    check_partner(t.who, &mut cols, false)?;
    let physical = progress(&input.props)?;
    let reason = correction(&input.props)?;
    let level = disclosure(&input.props)?;
    if !patch {
        // replace: what is not given is emptied, except what cannot be empty
        sql::empty_missing(
            &mut cols,
            &PROJECT_COLUMNS,
            &["code", "status", "is_public", "partner"],
        );
    }
    let mut tx = rules::write_tx(t.pool)
        .await
        .map_err(FeaturesError::db("starting a project update"))?;
    let (revision, from_status): (i32, String) =
        sqlx::query_as("SELECT revision, status FROM project WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(FeaturesError::db("locking the project to update"))?
            .ok_or_else(|| FeaturesError::NoFeature("projects", t.fid.to_string()))?;
    if etag(id, revision) != t.expected {
        return Err(sql::stale());
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
        t.who,
        &Input {
            geometry: replace_geom.clone(),
            props: Map::new(),
            crs: input.crs,
        },
    )
    .await?;
    let mut qb =
        QueryBuilder::new("UPDATE project SET revision = revision + 1, updated_at = now()");
    sql::push_sets(&mut qb, &cols);
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
        .map_err(constraint("updating a project"))?;
    if let Some(g) = &replace_geom {
        sql::set_locations(&mut tx, id, g.as_deref(), input.crs).await?;
        check_scope(&mut tx, t.who, id).await?;
    }
    sql::set_disclosure(&mut tx, id, level).await?;
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
        t.who,
        (Some(from_status), Some(to_status)),
        None,
        data,
    )
    .await?;
    progress_event(&mut tx, id, t.who, physical, &reason).await?;
    rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a project update"))?;
    Ok(Some(etag(id, new_rev)))
}

pub async fn delete(t: &Target<'_>) -> FResult<Option<String>> {
    let id = parse_id(t.fid)?;
    let mut tx = rules::write_tx(t.pool)
        .await
        .map_err(FeaturesError::db("starting a project delete"))?;
    let row: Option<(i32, String, Value)> = sqlx::query_as(
        "SELECT revision, status, to_jsonb(p) - 'attrs' FROM project p WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(FeaturesError::db("locking the project to delete"))?;
    let (revision, status, snapshot) =
        row.ok_or_else(|| FeaturesError::NoFeature("projects", t.fid.to_string()))?;
    if etag(id, revision) != t.expected {
        return Err(sql::stale());
    }
    event(
        &mut tx,
        id,
        "deleted",
        t.who,
        (Some(status), None),
        None,
        json!({"project": snapshot}),
    )
    .await?;
    sqlx::query("DELETE FROM project WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(FeaturesError::db("deleting a project"))?;
    rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a project delete"))?;
    tracing::info!(project = id, author = %t.who.author(), "project deleted through OGC API");
    Ok(None)
}
