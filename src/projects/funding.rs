//! Funding lines of a project: `GET/POST /api/projects/{code}/funding`,
//! `PUT/DELETE /api/projects/{code}/funding/{id}`. Whoever may edit the project may change its
//! funding; the answer always carries the lines, their total, the budget and `warnings` (funding
//! that does not add up to the budget is accepted but flagged). Each change is an `updated`
//! event in the project's history.
use rust_decimal::Decimal;
use serde_json::{json, Value};
use sqlx::{PgPool, Postgres, Row, Transaction};

use super::{
    access::{self, ProjectRef, Target},
    error::{PResult, ProjectsError},
    input::{money, text},
    rules,
};
use crate::{auth::Caller, guard::RequestBody};

/// A funding line's fields, once: as sent (`FundingBody`, the body of POST and PUT: every field
/// optional, amounts as JSON numbers or strings) and as checked (`FundingLine`: the kind and the
/// currency present, the amounts exact decimals).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding<S, A> {
    #[serde(default)]
    pub source_kind: S,
    pub funder: Option<String>,
    #[serde(default)]
    pub amount: A,
    #[serde(default)]
    pub currency: S,
    #[serde(default)]
    pub amount_tnd: A,
    pub note: Option<String>,
}

pub type FundingBody = Funding<Option<String>, Option<Value>>;
pub type FundingLine = Funding<String, Decimal>;
impl RequestBody for FundingBody {}

pub const FIELDS: &str = "\"source_kind\", \"amount\" and optionally \"currency\" (ISO 4217, default TND), \
                          \"amount_tnd\" (required when the currency is not TND), \"funder\", \"note\"";

fn invalid(m: impl Into<String>) -> ProjectsError {
    ProjectsError::Invalid(m.into())
}

impl FundingBody {
    /// Validate against the funding kinds the schema accepts (`kinds`).
    pub fn validate(self, kinds: &[String]) -> PResult<FundingLine> {
        let source_kind = text(self.source_kind, "source_kind")?.ok_or_else(|| {
            invalid(format!(
                "missing source_kind: give one of {}",
                kinds.join(", ")
            ))
        })?;
        if !kinds.contains(&source_kind) {
            return Err(invalid(format!(
                "source_kind '{source_kind}' is not one of {}",
                kinds.join(", ")
            )));
        }
        let currency = text(self.currency, "currency")?
            .unwrap_or_else(|| "TND".into())
            .to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid(format!(
                "currency '{currency}' is not an ISO 4217 code (three letters, e.g. TND, EUR, USD)"
            )));
        }
        let amount = money(self.amount, "amount")?
            .ok_or_else(|| invalid(format!("missing amount: send {FIELDS}")))?;
        let given_tnd = money(self.amount_tnd, "amount_tnd")?;
        let amount_tnd = match (currency.as_str(), given_tnd) {
            ("TND", None) => amount,
            ("TND", Some(t)) if t == amount => t,
            ("TND", Some(t)) => {
                return Err(invalid(format!(
                    "amount_tnd {t} differs from amount {amount} although the currency is TND"
                )))
            }
            (_, Some(t)) => t,
            (c, None) => {
                return Err(invalid(format!(
                    "amount_tnd is required for an amount in {c}: give its value in TND"
                )))
            }
        };
        Ok(FundingLine {
            source_kind,
            funder: text(self.funder, "funder")?,
            amount,
            currency,
            amount_tnd,
            note: text(self.note, "note")?,
        })
    }
}

/// The funding kinds the schema accepts (funding_line's CHECK constraint).
pub async fn kinds(pool: &PgPool) -> PResult<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT unnest(mk_funding_kinds())")
        .fetch_all(pool)
        .await?)
}

/// The funding answer of a project the caller may see.
pub async fn list(pool: &PgPool, code: &str, caller: &Caller) -> PResult<String> {
    let p = access::visible(pool, code, caller).await?;
    Ok(sqlx::query_scalar("SELECT mk_funding_json($1)")
        .bind(p.id)
        .fetch_one(pool)
        .await?)
}

/// What a change does.
/// `sql` with the project's id as `$1` and the line's fields as `$2`…`$7` (insert and replace).
fn bind_line<'q>(
    sql: &'q str,
    project_id: i64,
    l: &'q FundingLine,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    sqlx::query(sql)
        .bind(project_id)
        .bind(&l.source_kind)
        .bind(&l.funder)
        .bind(l.amount)
        .bind(&l.currency)
        .bind(l.amount_tnd)
        .bind(&l.note)
}

#[derive(Clone, Copy)]
pub enum Change<'a> {
    Create(&'a FundingLine),
    Replace(i64, &'a FundingLine),
    Delete(i64),
}

/// Apply `change` to `code`'s funding, as `caller`; returns the funding answer (with the id
/// of the line created or changed).
// size: one funding-line change in one transaction: lock, read, check, write, event, warnings
pub async fn change(w: Target<'_>, change: Change<'_>) -> PResult<String> {
    let (mut tx, project) = w.begin().await?;
    let (id, what, before): (i64, &str, Option<Value>) = match change {
        Change::Create(l) => {
            let id: i64 = bind_line(
                "INSERT INTO funding_line (project_id, source_kind, funder, amount, currency, amount_tnd, note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                project.id,
                l,
            )
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            (id, "funding line added", None)
        }
        Change::Replace(id, l) => {
            let before = line(&mut tx, LINE, id, &project).await?;
            bind_line(
                "UPDATE funding_line SET source_kind = $2, funder = $3, amount = $4, currency = $5, \
                 amount_tnd = $6, note = $7 WHERE project_id = $1 AND id = $8",
                project.id,
                l,
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            (id, "funding line changed", Some(before))
        }
        Change::Delete(id) => {
            let before = line(&mut tx, DELETE_LINE, id, &project).await?;
            (id, "funding line removed", Some(before))
        }
    };
    let after: Option<Value> =
        sqlx::query_scalar("SELECT to_jsonb(f) FROM funding_line f WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO project_event (project_id, project_code, kind, author, note, data) \
         VALUES ($1, $2, 'updated', $3, $4, $5)",
    )
    .bind(project.id)
    .bind(&project.code)
    .bind(w.caller.author())
    .bind(what)
    .bind(json!({"funding_line": id, "before": before, "after": after, "via": "/api/projects/{code}/funding"}))
    .execute(&mut *tx)
    .await?;
    let body: String = sqlx::query_scalar(
        "SELECT (mk_funding_json($1)::jsonb || jsonb_build_object('line_id', $2::bigint))::text",
    )
    .bind(project.id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    rules::commit(tx).await?;
    Ok(body)
}

const LINE: &str = "SELECT to_jsonb(f) FROM funding_line f WHERE id = $1 AND project_id = $2";
const DELETE_LINE: &str =
    "DELETE FROM funding_line f WHERE id = $1 AND project_id = $2 RETURNING to_jsonb(f)";

/// The funding line `id` of `project` as JSON, read (or deleted) by `sql` ([`LINE`],
/// [`DELETE_LINE`]); a 404 when the project has no such line.
async fn line(
    tx: &mut Transaction<'_, Postgres>,
    sql: &'static str,
    id: i64,
    project: &ProjectRef,
) -> PResult<Value> {
    let found: Option<Value> = sqlx::query_scalar(sql)
        .bind(id)
        .bind(project.id)
        .fetch_optional(&mut **tx)
        .await?;
    found.ok_or_else(|| {
        ProjectsError::Missing(format!(
            "project {} has no funding line {id}; GET /api/projects/{}/funding lists them",
            project.code, project.code
        ))
    })
}
