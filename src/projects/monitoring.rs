//! Lifecycle transitions and progress reports: validated, written with the caller as author, in
//! one transaction that locks the project row. The triggers then refresh everything derived.
use serde_json::json;
use sqlx::PgPool;

use super::{
    access,
    error::{PResult, ProjectsError},
    input::{ProgressReport, StatusChange},
};
use crate::auth::Caller;

/// The statuses a project can have, in lifecycle order.
pub async fn statuses(pool: &PgPool) -> PResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT status FROM project_status ORDER BY rank")
            .fetch_all(pool)
            .await?,
    )
}

/// Change the status of `code`; 409 with the reason when the lifecycle does not allow it.
pub async fn change_status(
    pool: &PgPool,
    code: &str,
    caller: &Caller,
    change: &StatusChange,
) -> PResult<String> {
    let mut tx = super::planning_tx(pool).await?;
    let project = access::find(&mut *tx, code, caller, true).await?;
    project.require_edit(caller)?;
    if project.status == change.status {
        return Err(ProjectsError::Conflict(format!(
            "project {} is already {}: nothing to change",
            project.code, change.status
        )));
    }
    let allowed: Vec<String> = sqlx::query_scalar(
        "SELECT t.to_status FROM project_status_transition t JOIN project_status s ON s.status = t.to_status \
         WHERE t.from_status = $1 ORDER BY s.rank",
    )
    .bind(&project.status)
    .fetch_all(&mut *tx)
    .await?;
    if !allowed.contains(&change.status) {
        let next = if allowed.is_empty() {
            format!(
                "{} is a final status: no transition leaves it",
                project.status
            )
        } else {
            format!(
                "from {} a project may go to {}",
                project.status,
                allowed.join(", ")
            )
        };
        return Err(ProjectsError::Conflict(format!(
            "project {} cannot go from {} to {}: {next}",
            project.code, project.status, change.status
        )));
    }
    sqlx::query(include_str!("sql/status_update.sql"))
        .bind(project.id)
        .bind(&change.status)
        .bind(change.date)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO project_event (project_id, project_code, kind, author, from_status, to_status, note, data) \
         VALUES ($1, $2, 'status', $3, $4, $5, $6, $7)",
    )
    .bind(project.id)
    .bind(&project.code)
    .bind(caller.author())
    .bind(&project.status)
    .bind(&change.status)
    .bind(&change.note)
    .bind(json!({"date": change.date, "via": "POST /api/projects/{code}/status"}))
    .execute(&mut *tx)
    .await?;
    let body: String = sqlx::query_scalar(
        "SELECT json_build_object('project', $1::text, 'from_status', $2::text, 'to_status', $3::text, \
         'monitoring', mk_project_monitoring_json($4, NULL))::text",
    )
    .bind(&project.code)
    .bind(&project.status)
    .bind(&change.status)
    .bind(project.id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(body)
}

/// Append a progress report to `code`'s history.
pub async fn add_progress(
    pool: &PgPool,
    code: &str,
    caller: &Caller,
    report: &ProgressReport,
) -> PResult<String> {
    let mut tx = super::planning_tx(pool).await?;
    let project = access::find(&mut *tx, code, caller, true).await?;
    project.require_edit(caller)?;
    if project.status == "cancelled" {
        return Err(ProjectsError::Conflict(format!(
            "project {} is cancelled: a cancelled project takes no progress reports",
            project.code
        )));
    }
    let data = json!({
        "report_date": report.date,
        "blocked": report.blocked,
        "blocked_cause": report.blocked_cause,
        "via": "POST /api/projects/{code}/progress",
    });
    let event: i64 = sqlx::query_scalar(
        "INSERT INTO project_event (project_id, project_code, kind, author, physical_pct, committed_tnd, paid_tnd, note, data) \
         VALUES ($1, $2, 'progress', $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(project.id)
    .bind(&project.code)
    .bind(caller.author())
    .bind(report.physical_pct)
    .bind(report.committed_tnd)
    .bind(report.paid_tnd)
    .bind(&report.note)
    .bind(data)
    .fetch_one(&mut *tx)
    .await?;
    let body: String = sqlx::query_scalar(
        "SELECT json_build_object('project', $1::text, 'event_id', $2::bigint, 'author', $3::text, \
         'monitoring', mk_project_monitoring_json($4, NULL))::text",
    )
    .bind(&project.code)
    .bind(event)
    .bind(caller.author())
    .bind(project.id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(body)
}
