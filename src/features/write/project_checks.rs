//! The checks of a project write, run inside its transaction: status, partner, geometry,
//! municipal scope, lifecycle rules, and the `project_event` every change records.
use serde_json::{Map, Value};
use sqlx::{Postgres, Transaction};

use super::sql::{self, constraint, Val, PROGRESS};
use super::{known, Input};
use crate::auth::Caller;
use crate::features::{FResult, FeaturesError};
use crate::projects::{asof, rules};

const GEOMETRY_TYPES: &[&str] = &[
    "POINT",
    "MULTIPOINT",
    "LINESTRING",
    "MULTILINESTRING",
    "POLYGON",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
];

pub(super) async fn check_status(
    tx: &mut Transaction<'_, Postgres>,
    cols: &[(&str, Val)],
) -> FResult<()> {
    for (name, v) in cols {
        if *name == "status" {
            let Val::Text(s) = v else {
                return Err(FeaturesError::Invalid("status cannot be empty".into()));
            };
            known::one_of(
                &mut **tx,
                ("status", s),
                "SELECT status FROM project_status ORDER BY rank",
                "listing the project statuses",
            )
            .await?;
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
pub(super) fn check_partner(
    who: &Caller,
    cols: &mut Vec<(&'static str, Val)>,
    creating: bool,
) -> FResult<()> {
    if let Caller::Partner { partner, .. } = who {
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

pub(super) async fn check_geometry(
    tx: &mut Transaction<'_, Postgres>,
    who: &Caller,
    input: &Input,
) -> FResult<()> {
    match (&input.geometry, who) {
        (Some(Some(g)), _) => {
            sql::check_geometry(tx, g, input.crs, GEOMETRY_TYPES).await?;
        }
        (_, Caller::Planner { .. }) if input.geometry.is_some() => {
            return Err(FeaturesError::Invalid(
                "a planner's project needs a location in one of its municipalities".into(),
            ))
        }
        _ => {}
    }
    Ok(())
}

pub(super) async fn event(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    kind: &str,
    who: &Caller,
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
    .map_err(constraint("recording a project event"))?;
    Ok(())
}

/// The `physical_pct` a write gave, recorded as a progress report of today.
pub(super) async fn progress_event(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    who: &Caller,
    physical: Option<f64>,
    reason: &Option<String>,
) -> FResult<()> {
    if physical.is_none() {
        return Ok(());
    }
    let data = serde_json::json!({"report_date": crate::projects::asof::today(), "correction": reason.is_some(), "reason": reason});
    event(tx, id, "progress", who, (None, None), physical, data).await
}

/// After the locations of project `id` were written (and assigned by the database): a planner's
/// locations must lie inside its municipalities, by the same rule as edit rights (403 naming
/// where they lie, with shares; the transaction is dropped, nothing is kept).
pub(super) async fn check_scope(
    tx: &mut Transaction<'_, Postgres>,
    who: &Caller,
    id: i64,
) -> FResult<()> {
    let Caller::Planner { municipalities, .. } = who else {
        return Ok(());
    };
    let (lies_in, shares): (Vec<String>, String) =
        sqlx::query_as("SELECT mk_project_municipalities($1), mk_project_municipality_shares($1)")
            .bind(id)
            .fetch_one(&mut **tx)
            .await
            .map_err(FeaturesError::db(
                "finding the municipalities of a location",
            ))?;
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
pub(super) async fn check_lifecycle(
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
    match rules::refusal(tx, id, &proposed)
        .await
        .map_err(FeaturesError::db("checking the write rules"))?
    {
        Some(why) => Err(FeaturesError::Conflict(why)),
        None => Ok(()),
    }
}

/// `correction` and `reason` properties: the reason of an explicit correction.
pub(super) fn correction(props: &Map<String, Value>) -> FResult<Option<String>> {
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

/// `disclosure` property: the level of every location of the project (docs/disclosure.md),
/// validated by the one list, `projects::disclosure`.
pub(super) fn disclosure(props: &Map<String, Value>) -> FResult<Option<&'static str>> {
    match props.get("disclosure") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => crate::projects::disclosure::parse(s)
            .map(Some)
            .map_err(FeaturesError::BadParam),
        Some(v) => Err(FeaturesError::BadParam(format!(
            "property `disclosure` must be text, not {v}: give {}",
            crate::projects::disclosure::HELP
        ))),
    }
}

pub(super) fn progress(props: &Map<String, Value>) -> FResult<Option<f64>> {
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
