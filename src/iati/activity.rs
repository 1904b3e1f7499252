//! One IATI activity element read into what Mokhattat stores (project fields, bilingual
//! narratives, locations with their precision, commitments), its codes checked against the
//! codelists; writing it is `import`.
use std::{collections::BTreeMap, str::FromStr};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{location, read::Element, IatiError};

pub(super) type Names = BTreeMap<String, String>;

#[derive(Debug)]
pub(super) struct Loc {
    pub(super) source_id: String,
    pub(super) precision: String,
    pub(super) name: Option<String>,
    pub(super) unit_code: Option<String>,
    pub(super) lat: Option<f64>,
    pub(super) lon: Option<f64>,
}

#[derive(Debug)]
pub(super) struct Activity {
    pub(super) identifier: String,
    pub(super) reporting_ref: String,
    pub(super) reporting_type: Option<String>,
    pub(super) reporting_names: Names,
    pub(super) title: Names,
    pub(super) description: Names,
    pub(super) owner: Option<String>,
    pub(super) status: i32,
    pub(super) dates: [Option<NaiveDate>; 4],
    pub(super) sector: Option<String>,
    pub(super) budget: Option<Decimal>,
    pub(super) locations: Vec<Loc>,
    /// (funder, amount in TND)
    pub(super) commitments: Vec<(Option<String>, Decimal)>,
    pub(super) notes: Vec<String>,
}

pub(super) fn content(msg: String) -> IatiError {
    IatiError::Content(msg)
}

fn code_in(
    el: &Element,
    id: &str,
    what: &str,
    allowed: &[&str],
) -> Result<Option<String>, IatiError> {
    match el.attr("code").map(str::trim) {
        None => Ok(None),
        Some(c) if allowed.contains(&c) => Ok(Some(c.to_string())),
        Some(c) => Err(content(format!(
            "activity {id}: {what} code {c:?} is not on the IATI codelist ({})",
            allowed.join(", ")
        ))),
    }
}

/// Narratives by language (ar/fr/en; a narrative without xml:lang has the activity's language).
fn names(el: Option<&Element>, default_lang: &str, notes: &mut Vec<String>, id: &str) -> Names {
    let mut out = Names::new();
    for n in el.into_iter().flat_map(|e| e.all("narrative")) {
        let lang = n
            .attr("xml:lang")
            .unwrap_or(default_lang)
            .to_ascii_lowercase();
        let text = n.trimmed();
        if text.is_empty() {
            continue;
        }
        if ["ar", "fr", "en"].contains(&lang.as_str()) {
            out.entry(lang).or_insert_with(|| text.to_string());
        } else {
            notes.push(format!(
                "{id}: narrative in language {lang:?} not kept (only ar, fr, en)"
            ));
        }
    }
    out
}

fn first_name(el: Option<&Element>) -> Option<String> {
    el.and_then(|e| e.child("narrative"))
        .map(|n| n.trimmed().to_string())
        .filter(|t| !t.is_empty())
}

fn date(el: &Element, id: &str, attr: &str) -> Result<Option<NaiveDate>, IatiError> {
    el.attr(attr)
        .map(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                content(format!(
                    "activity {id}: {attr} {d:?} is not a date (YYYY-MM-DD)"
                ))
            })
        })
        .transpose()
}

/// The amount of a `<value>` in TND, or a note why it cannot be kept.
fn tnd_value(
    el: Option<&Element>,
    default_currency: &str,
    id: &str,
) -> Result<Result<Decimal, String>, IatiError> {
    let Some(v) = el else {
        return Ok(Err("no value".into()));
    };
    let amount = Decimal::from_str(v.trimmed()).map_err(|_| {
        content(format!(
            "activity {id}: value {:?} is not a number",
            v.trimmed()
        ))
    })?;
    if amount.is_sign_negative() {
        return Ok(Err(format!("negative value {amount}")));
    }
    let currency = v.attr("currency").unwrap_or(default_currency);
    if currency != "TND" {
        return Ok(Err(format!(
            "value in {currency}: only TND amounts are kept"
        )));
    }
    Ok(Ok(amount))
}

const STATUSES: &[&str] = &["1", "2", "3", "4", "5", "6"];
const EXACTNESS: &[&str] = &["1", "2"];
const CLASSES: &[&str] = &["1", "2", "3", "4"];
const REACHES: &[&str] = &["1", "2"];
const TRANSACTION_TYPES: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
];

// size: reads one activity element by element, in the order of the 2.03 XSD
pub(super) fn activity(
    a: &Element,
    levels: &BTreeMap<String, String>,
) -> Result<Activity, IatiError> {
    let id = a
        .child("iati-identifier")
        .map(|i| i.trimmed().to_string())
        .filter(|i| !i.is_empty())
        .ok_or_else(|| content("an iati-activity has no iati-identifier".into()))?;
    let lang = a.attr("xml:lang").unwrap_or("fr").to_ascii_lowercase();
    let currency = a.attr("default-currency").unwrap_or("TND").to_string();
    let mut notes = Vec::new();
    let rep = a.child("reporting-org");
    let reporting_ref = rep
        .and_then(|r| r.attr("ref"))
        .unwrap_or("")
        .trim()
        .to_string();
    let status_el = a
        .child("activity-status")
        .ok_or_else(|| content(format!("activity {id}: no activity-status")))?;
    let status = code_in(status_el, &id, "activity-status", STATUSES)?
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| content(format!("activity {id}: activity-status has no code")))?;
    let mut dates = [None; 4];
    for d in a.all("activity-date") {
        let t = code_in(
            &Element {
                attrs: vec![("code".into(), d.attr("type").unwrap_or("").into())],
                ..Default::default()
            },
            &id,
            "activity-date type",
            &["1", "2", "3", "4"],
        )?;
        if let Some(i) = t.and_then(|t| t.parse::<usize>().ok()) {
            dates[i - 1] = date(d, &id, "iso-date")?;
        }
    }
    let mut sector = None;
    for s in a.all("sector") {
        let vocab = s.attr("vocabulary").unwrap_or("1");
        let code = s.attr("code").unwrap_or("").trim();
        if vocab != "1" {
            notes.push(format!("{id}: sector {code} of vocabulary {vocab} not kept (only DAC 5-digit, vocabulary 1)"));
        } else if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(content(format!(
                "activity {id}: sector code {code:?} is not a DAC 5-digit code"
            )));
        } else if sector.is_none() {
            sector = Some(code.to_string());
        }
    }
    let budget = match a.child("budget") {
        None => None,
        Some(b) => match tnd_value(b.child("value"), &currency, &id)? {
            Ok(v) => Some(v),
            Err(why) => {
                notes.push(format!("{id}: budget not kept: {why}"));
                None
            }
        },
    };
    let mut locations = Vec::new();
    for (n, l) in a.all("location").enumerate() {
        if let Some(r) = l.child("location-reach") {
            code_in(r, &id, "location-reach", REACHES)?;
        }
        let exactness = match l.child("exactness") {
            Some(e) => code_in(e, &id, "exactness", EXACTNESS)?,
            None => None,
        };
        let class = match l.child("location-class") {
            Some(e) => code_in(e, &id, "location-class", CLASSES)?,
            None => None,
        };
        let (lat, lon) = match l.child("point").and_then(|p| p.child("pos")) {
            None => (None, None),
            Some(pos) => {
                let parts: Vec<f64> = pos
                    .trimmed()
                    .split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect();
                match parts.as_slice() {
                    [lat, lon] if lat.abs() <= 90.0 && lon.abs() <= 180.0 => {
                        (Some(*lat), Some(*lon))
                    }
                    _ => {
                        return Err(content(format!(
                            "activity {id}: point pos {:?} is not \"lat lon\"",
                            pos.trimmed()
                        )))
                    }
                }
            }
        };
        let mut unit = None;
        for adm in l.all("administrative") {
            let level = adm.attr("level").unwrap_or("");
            match (adm.attr("vocabulary"), levels.get(level), adm.attr("code")) {
                (Some(v), Some(ours), Some(code)) if v == location::ADMIN_VOCABULARY => {
                    unit = Some((ours.clone(), code.trim().to_string()));
                }
                _ => notes.push(format!(
                    "{id}: administrative {} level {level} (vocabulary {}) is not one of our units",
                    adm.attr("code").unwrap_or(""),
                    adm.attr("vocabulary").unwrap_or("")
                )),
            }
        }
        let source_id = l
            .attr("ref")
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("iati-{}", n + 1));
        let name = first_name(l.child("name"));
        let (precision, unit_code) = match unit {
            Some((level, code)) => (level, Some(code)),
            None if lat.is_none() && class.as_deref() != Some("1") => {
                notes.push(format!(
                    "{id}: location {source_id} has neither point nor unit: skipped"
                ));
                continue;
            }
            None => (
                location::precision_of(exactness.as_deref(), class.as_deref()).to_string(),
                None,
            ),
        };
        locations.push(Loc {
            source_id,
            precision,
            name,
            unit_code,
            lat,
            lon,
        });
    }
    let mut commitments = Vec::new();
    for t in a.all("transaction") {
        let kind = match t.child("transaction-type") {
            Some(k) => code_in(k, &id, "transaction-type", TRANSACTION_TYPES)?,
            None => None,
        };
        match kind.as_deref() {
            Some("2") => match tnd_value(t.child("value"), &currency, &id)? {
                Ok(v) => commitments.push((first_name(t.child("provider-org")), v)),
                Err(why) => notes.push(format!("{id}: commitment not kept: {why}")),
            },
            Some(k) => notes.push(format!(
                "{id}: transaction of type {k} not imported (only commitments, type 2)"
            )),
            None => {
                return Err(content(format!(
                    "activity {id}: a transaction has no transaction-type"
                )))
            }
        }
    }
    let mut reporting_names_notes = Vec::new();
    let reporting_names = names(rep, &lang, &mut reporting_names_notes, &id);
    let title = names(a.child("title"), &lang, &mut notes, &id);
    let description = names(
        a.all("description")
            .find(|d| d.attr("type").unwrap_or("1") == "1"),
        &lang,
        &mut notes,
        &id,
    );
    let owner = a
        .all("participating-org")
        .find(|p| p.attr("role") == Some("4"))
        .and_then(|p| first_name(Some(p)));
    Ok(Activity {
        reporting_type: rep.and_then(|r| r.attr("type")).map(str::to_string),
        identifier: id,
        reporting_ref,
        reporting_names,
        title,
        description,
        owner,
        status,
        dates,
        sector,
        budget,
        locations,
        commitments,
        notes,
    })
}
