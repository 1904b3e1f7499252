//! Moderation and answers: moderators are admins and the planners whose scope holds the
//! proposal's commune (`Caller::require_edit_municipality`). Every act is logged
//! (`moderation_log`) by the database function that performs it.
use axum::{
    body::Bytes,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use serde_json::json;
use sqlx::PgPool;

use super::extract::{query_string, Help, Keyed, Params};
use super::{by_code, error::db, input, input::parse, json_doc};
use crate::{
    auth::Caller, error::AppError, error::AppResult, guard::request_body, state::AppState,
};

/// What a moderator acts on: a proposal or a comment (the same acts, the same log).
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    Proposal,
    Comment,
}

impl Target {
    pub(super) fn name(self) -> &'static str {
        match self {
            Target::Proposal => "proposal",
            Target::Comment => "comment",
        }
    }
}

/// 401/403 unless the caller moderates the commune of proposal (or comment) `id`; returns it.
pub(super) async fn moderator_of_target(
    pool: &PgPool,
    caller: &Caller,
    target: Target,
    id: i64,
) -> AppResult<String> {
    caller.require_key()?;
    let sql = match target {
        Target::Proposal => include_str!("sql/proposal_commune.sql"),
        Target::Comment => include_str!("sql/comment_commune.sql"),
    };
    let code: Option<Option<String>> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(db)?;
    let code = code
        .ok_or_else(|| AppError::not_found(format!("no {} {id}", target.name())))?
        .unwrap_or_default();
    caller.require_edit_municipality(&code)?;
    Ok(code)
}

/// 401/403 unless the caller moderates proposal `id`'s commune; returns the commune.
pub(super) async fn moderator_of(pool: &PgPool, caller: &Caller, id: i64) -> AppResult<String> {
    moderator_of_target(pool, caller, Target::Proposal, id).await
}

request_body! {
    pub struct AnswerBody {
        pub state: Option<String>,
        pub answer: Option<String>,
        pub merged_into: Option<i64>,
        /// false: keep as a draft (default true).
        pub publish: Option<bool>,
    }
}

/// `POST /api/participation/proposals/{id}/answer` — `{"state", "answer", "publish", "merged_into"}`.
pub async fn answer(k: Keyed, body: Bytes) -> AppResult<Response> {
    let (id, caller) = (k.id, &k.who);
    moderator_of(&k.pool, caller, id).await?;
    let b: AnswerBody = parse(
        &body,
        "\"state\" (evaluating, accepted, rejected, merged), \"answer\", optionally \"publish\": false for a draft, \"merged_into\"",
    )?;
    if let Some(s) = &b.state {
        if !["evaluating", "accepted", "rejected", "merged"].contains(&s.as_str()) {
            return Err(AppError::bad_request(
                "\"state\" is one of evaluating, accepted, rejected, merged",
            ));
        }
    }
    let text = input::text(b.answer, "answer", "description")?;
    let publish = b.publish.unwrap_or(true);
    sqlx::query(include_str!("sql/transition.sql"))
        .bind(id)
        .bind(&b.state)
        .bind("moderator")
        .bind(caller.author())
        .bind(text)
        .bind(b.merged_into)
        .bind(publish)
        .execute(&k.pool)
        .await
        .map_err(db)?;
    Ok(axum::Json(json!({"id": id, "published": publish})).into_response())
}

request_body! {
    pub struct ModerateBody {
        pub action: Option<String>,
        pub reason: Option<String>,
    }
}

/// `POST /api/participation/proposals/{id}/moderation` — `{"action": "hide|unhide|clear|approve", "reason"}`.
pub async fn moderate(k: Keyed, body: Bytes) -> AppResult<Response> {
    act(&k, Target::Proposal, &body).await
}

/// `POST /api/participation/comments/{id}/moderation` — the same acts on a comment.
pub async fn moderate_comment(k: Keyed, body: Bytes) -> AppResult<Response> {
    act(&k, Target::Comment, &body).await
}

/// One moderation act, checked and logged by the database function `mk_moderate`.
async fn act(k: &Keyed, target: Target, body: &Bytes) -> AppResult<Response> {
    let (pool, caller, id) = (&k.pool, &k.who, k.id);
    moderator_of_target(pool, caller, target, id).await?;
    let b: ModerateBody = parse(
        body,
        "\"action\" (hide, unhide, clear, approve) and \"reason\"",
    )?;
    let action = match b.action.as_deref() {
        Some(a @ ("hide" | "unhide" | "clear" | "approve")) => a.to_string(),
        _ => {
            return Err(AppError::bad_request(
                "\"action\" is one of hide, unhide, clear, approve",
            ))
        }
    };
    let reason = input::required(b.reason, "reason", "reason")?;
    sqlx::query(include_str!("sql/moderate.sql"))
        .bind(target.name())
        .bind(id)
        .bind(&action)
        .bind(caller.author())
        .bind(reason)
        .execute(pool)
        .await
        .map_err(db)?;
    Ok(axum::Json(json!({"id": id, "target": target.name(), "action": action})).into_response())
}

query_string! {
    pub struct LogQuery {
        pub municipality: Option<String>,
        pub proposal: Option<i64>,
    }
    help "use ?municipality=CODE or ?proposal=ID"
}

/// `GET /api/participation/moderation/log?municipality=CODE` (or `?proposal=ID`) — moderators.
pub async fn log(
    State(st): State<AppState>,
    caller: Caller,
    Params(q): Params<LogQuery>,
) -> AppResult<Response> {
    let code = match (q.municipality, q.proposal) {
        (Some(m), _) => {
            caller.require_edit_municipality(&m)?;
            Some(m)
        }
        (None, Some(p)) => {
            moderator_of(&st.pool, &caller, p).await?;
            None
        }
        (None, None) => return Err(AppError::bad_request(LogQuery::HELP)),
    };
    json_doc(
        &st.pool,
        sqlx::query_scalar(include_str!("sql/moderation_log.sql"))
            .bind(code)
            .bind(q.proposal),
    )
    .await
}

/// `GET /api/participation/communes/{code}/settings` (public).
pub async fn settings(st: State<AppState>, code: Path<String>) -> AppResult<Response> {
    by_code(st, code, include_str!("sql/settings_get.sql")).await
}

request_body! {
    pub struct SettingsBody {
        pub mode: Option<String>,
        pub report_threshold: Option<i32>,
    }
}

/// `PUT /api/participation/communes/{code}/settings` — `{"mode", "report_threshold"}`, moderators.
pub async fn set_settings(
    State(st): State<AppState>,
    Path(code): Path<String>,
    caller: Caller,
    body: Bytes,
) -> AppResult<Response> {
    caller.require_edit_municipality(&code)?;
    let b: SettingsBody = parse(
        &body,
        "\"mode\" (publish_first|moderate_first), \"report_threshold\" (1-1000)",
    )?;
    let mode = match b.mode.as_deref() {
        None => "publish_first".to_string(),
        Some(m @ ("publish_first" | "moderate_first")) => m.to_string(),
        Some(_) => {
            return Err(AppError::bad_request(
                "\"mode\" is publish_first or moderate_first",
            ))
        }
    };
    let threshold = b.report_threshold.unwrap_or(3);
    if !(1..=1000).contains(&threshold) {
        return Err(AppError::bad_request("\"report_threshold\" is 1 to 1000"));
    }
    sqlx::query(include_str!("sql/settings_put.sql"))
        .bind(&code)
        .bind(&mode)
        .bind(threshold)
        .bind(caller.author())
        .execute(&st.pool)
        .await
        .map_err(db)?;
    settings(State(st), Path(code)).await
}

request_body! {
    pub struct NewProject {
        pub code: Option<String>,
        pub title_fr: Option<String>,
        pub title_ar: Option<String>,
        pub theme: Option<String>,
        pub project_type: Option<String>,
        pub budget_tnd: Option<f64>,
    }

    pub struct LinkBody {
        /// An existing project's code…
        pub project: Option<String>,
        /// …or a new project to create at the proposal's place.
        pub new_project: Option<NewProject>,
    }
}

/// `POST /api/participation/proposals/{id}/project` — `{"project": "CODE"}` or `{"new_project": {…}}`.
pub async fn link_project(k: Keyed, body: Bytes) -> AppResult<Response> {
    let (id, caller) = (k.id, &k.who);
    moderator_of(&k.pool, caller, id).await?;
    let b: LinkBody = parse(&body, "\"project\" (a project code) or \"new_project\" ({code, title_fr, title_ar, theme, project_type, budget_tnd})")?;
    let mut tx = k.pool.begin().await.map_err(db)?;
    sqlx::query("SELECT mk_write_lock()")
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    let code = match (b.project, b.new_project) {
        (Some(c), None) => input::required(Some(c), "project", "code")?,
        (None, Some(n)) => {
            let code = input::required(n.code, "new_project.code", "code")?;
            if n.budget_tnd.is_some_and(|b| !b.is_finite() || b < 0.0) {
                return Err(AppError::bad_request(
                    "\"budget_tnd\" is a finite amount ≥ 0",
                ));
            }
            sqlx::query(include_str!("sql/project_new.sql"))
                .bind(&code)
                .bind(input::text(n.title_fr, "title_fr", "title")?)
                .bind(input::text(n.title_ar, "title_ar", "title")?)
                .bind(input::text(n.theme, "theme", "theme")?)
                .bind(
                    input::text(n.project_type, "project_type", "project_type")?
                        .unwrap_or_else(|| "facility".into()),
                )
                .bind(
                    n.budget_tnd
                        .map(|b| rust_decimal::Decimal::from_f64_retain(b).unwrap_or_default()),
                )
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            code
        }
        _ => {
            return Err(AppError::bad_request(
                "give either \"project\" (an existing project code) or \"new_project\"",
            ))
        }
    };
    let linked: Option<String> = sqlx::query_scalar(include_str!("sql/link_project.sql"))
        .bind(id)
        .bind(&code)
        .bind(caller.author())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    let Some(linked) = linked else {
        return Err(AppError::Conflict(format!(
            "only an accepted proposal can be linked to a project, and project {code} must exist"
        )));
    };
    tx.commit().await.map_err(db)?;
    Ok(axum::Json(json!({"id": id, "project": linked})).into_response())
}
