//! Lifecycle transitions and progress reports: validated, written with the caller as author, in
//! one transaction that locks the project row. The triggers then refresh everything derived.
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use super::{
    access::{ProjectRef, Target},
    error::{PResult, ProjectsError},
    input::{ProgressReport, StatusChange},
    rules,
};

/// The statuses a project can have, in lifecycle order.
pub async fn statuses(pool: &PgPool) -> PResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT status FROM project_status ORDER BY rank")
            .fetch_all(pool)
            .await?,
    )
}

/// Change the status of `code`; 409 with the reason when the lifecycle does not allow it.
pub async fn change_status(w: Target<'_>, change: &StatusChange) -> PResult<String> {
    let (mut tx, project) = w.begin().await?;
    let proposed = rules::Proposed {
        to_status: Some(&change.status),
        date: Some(change.date),
        physical_pct: None,
        correction: change.correction.is_some(),
    };
    if let Some(why) = rules::refusal(&mut tx, project.id, &proposed).await? {
        return Err(ProjectsError::Conflict(why));
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
    .bind(w.caller.author())
    .bind(&project.status)
    .bind(&change.status)
    .bind(&change.note)
    .bind(json!({"date": change.date, "via": "POST /api/projects/{code}/status",
                 "correction": change.correction.is_some(), "reason": change.correction}))
    .execute(&mut *tx)
    .await?;
    let facts = [
        ("from_status", json!(project.status)),
        ("to_status", json!(change.status)),
    ];
    let body = answer(&mut tx, &project, facts).await?;
    rules::commit(tx).await?;
    Ok(body)
}

/// Append a progress report to `code`'s history.
pub async fn add_progress(w: Target<'_>, report: &ProgressReport) -> PResult<String> {
    let (mut tx, project) = w.begin().await?;
    if project.status == "cancelled" {
        return Err(ProjectsError::Conflict(format!(
            "project {} is cancelled: a cancelled project takes no progress reports",
            project.code
        )));
    }
    let proposed = rules::Proposed {
        to_status: None,
        date: Some(report.date),
        physical_pct: report.physical_pct.map(|p| p.to_string()),
        correction: report.correction.is_some(),
    };
    if let Some(why) = rules::refusal(&mut tx, project.id, &proposed).await? {
        return Err(ProjectsError::Conflict(why));
    }
    let data = json!({
        "report_date": report.date,
        "blocked": report.blocked,
        "blocked_cause": report.blocked_cause,
        "via": "POST /api/projects/{code}/progress",
        "correction": report.correction.is_some(),
        "reason": report.correction,
    });
    let event: i64 = sqlx::query_scalar(
        "INSERT INTO project_event (project_id, project_code, kind, author, physical_pct, committed_tnd, paid_tnd, note, data) \
         VALUES ($1, $2, 'progress', $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(project.id)
    .bind(&project.code)
    .bind(w.caller.author())
    .bind(report.physical_pct)
    .bind(report.committed_tnd)
    .bind(report.paid_tnd)
    .bind(&report.note)
    .bind(data)
    .fetch_one(&mut *tx)
    .await?;
    let facts = [
        ("event_id", json!(event)),
        ("author", json!(w.caller.author())),
    ];
    let body = answer(&mut tx, &project, facts).await?;
    rules::commit(tx).await?;
    Ok(body)
}

/// The answer to a monitoring write, read inside its transaction: the project's code, two facts
/// of the write (in this order) and the project's monitoring summary after it.
async fn answer(
    tx: &mut PgConnection,
    project: &ProjectRef,
    [(k1, v1), (k2, v2)]: [(&str, Value); 2],
) -> PResult<String> {
    Ok(sqlx::query_scalar(
        "SELECT json_build_object('project', $1::text, $2::text, $3::json, $4::text, $5::json, \
         'monitoring', mk_project_monitoring_json($6, NULL))::text",
    )
    .bind(&project.code)
    .bind(k1)
    .bind(v1)
    .bind(k2)
    .bind(v2)
    .bind(project.id)
    .fetch_one(&mut *tx)
    .await?)
}
