//! The conformity rule matrix: reading, validating and replacing it.
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::csv;
use crate::error::AppError;

pub const OUTCOMES: [&str; 3] = ["allowed", "conditional", "forbidden"];
/// The pseudo-class of the part of a location outside every zone.
pub const OUTSIDE: &str = "outside";
pub const CSV_HEADER: [&str; 5] = ["project_type", "class", "outcome", "note_fr", "note_ar"];
const MAX_RULES: usize = 10_000;

/// One rule as clients send it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    pub project_type: String,
    pub class: String,
    pub outcome: String,
    #[serde(default)]
    pub note_fr: Option<String>,
    #[serde(default)]
    pub note_ar: Option<String>,
}

/// `PUT /api/conformity/rules` as JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesBody {
    pub rules: Vec<RuleInput>,
}

/// What a replacement changed.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Replaced {
    pub inserted: i64,
    pub updated: i64,
    pub deleted: i64,
    pub unchanged: i64,
}

/// Rules from a CSV text with the header [`CSV_HEADER`] (notes optional).
pub fn from_csv(text: &str) -> Result<Vec<(usize, RuleInput)>, AppError> {
    let records = csv::read(text).map_err(AppError::BadRequest)?;
    let Some(((_, header), rows)) = records.split_first() else {
        return Err(AppError::BadRequest(format!(
            "the CSV is empty: send a header line {} then one line per rule",
            CSV_HEADER.join(",")
        )));
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(t), Some(c), Some(o)) = (col("project_type"), col("class"), col("outcome")) else {
        return Err(AppError::BadRequest(format!(
            "the CSV header must name the columns project_type, class and outcome (and optionally note_fr, note_ar); got {}",
            header.join(",")
        )));
    };
    let (nf, na) = (col("note_fr"), col("note_ar"));
    let mut out = Vec::with_capacity(rows.len());
    for (line, r) in rows {
        if r.len() != header.len() {
            return Err(AppError::BadRequest(format!(
                "line {line}: {} fields where the header has {}",
                r.len(),
                header.len()
            )));
        }
        let get = |i: Option<usize>| i.map(|i| r[i].clone());
        out.push((
            *line,
            RuleInput {
                project_type: r[t].clone(),
                class: r[c].clone(),
                outcome: r[o].clone(),
                note_fr: get(nf),
                note_ar: get(na),
            },
        ));
    }
    Ok(out)
}

/// Trim, check every rule against the classes and outcomes, refuse duplicates. All problems are
/// reported at once, each with its line (CSV) or position (JSON).
pub fn validate(
    rules: Vec<(usize, RuleInput)>,
    classes: &[String],
    what: &str,
) -> Result<Vec<RuleInput>, AppError> {
    if rules.len() > MAX_RULES {
        return Err(AppError::BadRequest(format!(
            "too many rules: at most {MAX_RULES}"
        )));
    }
    let mut problems = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rules.len());
    for (at, r) in rules {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let rule = RuleInput {
            project_type: r.project_type.trim().to_string(),
            class: r.class.trim().to_string(),
            outcome: r.outcome.trim().to_lowercase(),
            note_fr: clean(r.note_fr),
            note_ar: clean(r.note_ar),
        };
        let mut bad = |m: String| problems.push(format!("{what} {at}: {m}"));
        if rule.project_type.is_empty() || rule.project_type.chars().count() > 60 {
            bad("project_type must be 1 to 60 characters".into());
        }
        if rule.class != OUTSIDE && !classes.contains(&rule.class) {
            bad(format!(
                "class '{}' is not one of {}, {OUTSIDE}",
                rule.class,
                classes.join(", ")
            ));
        }
        if !OUTCOMES.contains(&rule.outcome.as_str()) {
            bad(format!(
                "outcome '{}' is not one of {}",
                rule.outcome,
                OUTCOMES.join(", ")
            ));
        }
        let key = (rule.project_type.clone(), rule.class.clone());
        if let Some(first) = seen.insert(key, at) {
            bad(format!(
                "a second rule for ({}, {}); the first is at {what} {first}",
                rule.project_type, rule.class
            ));
        }
        out.push(rule);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(AppError::BadRequest(format!(
            "the rules were not changed: {}",
            problems.join("; ")
        )))
    }
}

/// The land-use classes rules may name (plus [`OUTSIDE`]).
pub async fn classes(pool: &PgPool) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT class FROM landuse_class ORDER BY family DESC, class")
            .fetch_all(pool)
            .await?,
    )
}

/// Replace the whole matrix by `rules` (one transaction; the triggers recompute the verdicts).
pub async fn replace(
    pool: &PgPool,
    rules: &[RuleInput],
    author: &str,
) -> Result<Replaced, AppError> {
    let col = |f: fn(&RuleInput) -> Option<String>| -> Vec<Option<String>> {
        rules.iter().map(f).collect()
    };
    let mut tx = pool.begin().await?;
    sqlx::query("LOCK TABLE conformity_rule IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM conformity_rule")
        .fetch_one(&mut *tx)
        .await?;
    let deleted = sqlx::query(include_str!("sql/rules_delete.sql"))
        .bind(col(|r| Some(r.project_type.clone())))
        .bind(col(|r| Some(r.class.clone())))
        .execute(&mut *tx)
        .await?
        .rows_affected() as i64;
    let written: Vec<bool> = sqlx::query_scalar(include_str!("sql/rules_upsert.sql"))
        .bind(col(|r| Some(r.project_type.clone())))
        .bind(col(|r| Some(r.class.clone())))
        .bind(col(|r| Some(r.outcome.clone())))
        .bind(col(|r| r.note_fr.clone()))
        .bind(col(|r| r.note_ar.clone()))
        .bind(author)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let inserted = written.iter().filter(|i| **i).count() as i64;
    let updated = written.len() as i64 - inserted;
    Ok(Replaced {
        inserted,
        updated,
        deleted,
        unchanged: before - deleted - updated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes() -> Vec<String> {
        ["green", "residential"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn csv_rules() {
        let rules = from_csv("project_type,class,outcome,note_fr\r\nroad,green,Conditional,\"Avis, requis\"\nroad,outside,forbidden,\n").unwrap();
        let ok = validate(rules, &classes(), "line").unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].outcome, "conditional");
        assert_eq!(ok[0].note_fr.as_deref(), Some("Avis, requis"));
        assert_eq!(ok[1].note_fr, None);
        assert!(from_csv("type,class\n")
            .unwrap_err()
            .to_string()
            .contains("project_type"));
        assert!(from_csv("").unwrap_err().to_string().contains("empty"));
        assert!(from_csv("project_type,class,outcome\nroad,green\n")
            .unwrap_err()
            .to_string()
            .contains("line 2"));
    }

    #[test]
    fn problems_are_listed_together() {
        let rules = from_csv("project_type,class,outcome\nroad,swamp,allowed\nroad,green,maybe\nroad,green,allowed\n").unwrap();
        let e = validate(rules, &classes(), "line").unwrap_err().to_string();
        assert!(e.contains("line 2: class 'swamp'"), "{e}");
        assert!(e.contains("line 3: outcome 'maybe'"), "{e}");
        assert!(
            e.contains("line 4: a second rule for (road, green); the first is at line 3"),
            "{e}"
        );
    }
}
