//! IATI 2.03 activity XML from the database: one query gives a JSON document per activity
//! (`sql/activities.sql`), written here in the XSD's element order.
use std::io::Cursor;

use quick_xml::{
    events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event},
    Writer,
};
use serde_json::Value;
use sqlx::{PgPool, Row};

use super::{location, IatiError};
use crate::auth::Visibility;

/// Which activities: all the caller may see, or one project, a funder's (partner's) portfolio,
/// a commune's projects.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub project: Option<String>,
    pub funder: Option<String>,
    pub municipality: Option<String>,
}

impl Filter {
    pub fn new(
        project: Option<String>,
        funder: Option<String>,
        municipality: Option<String>,
    ) -> Self {
        let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Self {
            project: clean(project),
            funder: clean(funder),
            municipality: clean(municipality),
        }
    }
}

/// `sql` with the caller's visibility as `$1`…`$3` and the filter as `$4`…`$6` (both statements of
/// an export select the same activities).
fn scoped<'q>(
    sql: &'q str,
    vis: &'q Visibility,
    filter: &'q Filter,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    sqlx::query(sql)
        .bind(vis.all)
        .bind(&vis.partner)
        .bind(&vis.municipalities)
        .bind(&filter.project)
        .bind(&filter.funder)
        .bind(&filter.municipality)
}

/// The IATI file for the activities `vis` may see that match `filter`. Projects published for the
/// first time get their permanent identifier now.
pub async fn export(pool: &PgPool, vis: &Visibility, filter: &Filter) -> Result<String, IatiError> {
    let mut tx = crate::projects::planning_tx(pool).await?;
    scoped(
        concat!(
            include_str!("sql/selected.sql"),
            include_str!("sql/ensure_identifiers.sql")
        ),
        vis,
        filter,
    )
    .execute(&mut *tx)
    .await?;
    let docs: Vec<Value> = scoped(
        concat!(
            include_str!("sql/selected.sql"),
            include_str!("sql/activities.sql")
        ),
        vis,
        filter,
    )
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|row| row.try_get(0))
    .collect::<Result<_, _>>()?;
    tx.commit().await?;
    if docs.is_empty() {
        if let Some(code) = &filter.project {
            return Err(IatiError::NotFound(format!(
                "no project {code} you may see"
            )));
        }
    }
    write_activities(&docs).map_err(|e| IatiError::Content(format!("writing XML: {e}")))
}

type W = Writer<Cursor<Vec<u8>>>;
type R = std::io::Result<()>;

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn start(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> R {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    w.write_event(Event::Start(e))
}

fn end(w: &mut W, name: &str) -> R {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn empty(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> R {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    w.write_event(Event::Empty(e))
}

fn text_el(w: &mut W, name: &str, attrs: &[(&str, &str)], text: &str) -> R {
    start(w, name, attrs)?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    end(w, name)
}

/// `<narrative xml:lang="..">` for each language present, in the order ar, fr, en.
fn narratives(w: &mut W, names: &Value) -> R {
    for lang in ["ar", "fr", "en"] {
        if let Some(t) = s(names, lang).filter(|t| !t.trim().is_empty()) {
            text_el(w, "narrative", &[("xml:lang", lang)], t)?;
        }
    }
    Ok(())
}

fn has_narratives(names: &Value) -> bool {
    ["ar", "fr", "en"]
        .iter()
        .any(|l| s(names, l).is_some_and(|t| !t.trim().is_empty()))
}

fn value(w: &mut W, amount: &str, date: &str) -> R {
    text_el(
        w,
        "value",
        &[("currency", "TND"), ("value-date", date)],
        amount,
    )
}

pub(super) fn write_activities(docs: &[Value]) -> std::io::Result<String> {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    start(&mut w, "iati-activities", &[("version", "2.03")])?;
    for d in docs {
        activity(&mut w, d)?;
    }
    end(&mut w, "iati-activities")?;
    let mut out = String::from_utf8(w.into_inner().into_inner())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    out.push('\n');
    Ok(out)
}

// size: one IATI activity element, its children in the order the 2.03 XSD requires
fn activity(w: &mut W, d: &Value) -> R {
    let null = Value::Null;
    start(
        w,
        "iati-activity",
        &[("xml:lang", "fr"), ("default-currency", "TND")],
    )?;
    text_el(w, "iati-identifier", &[], s(d, "identifier").unwrap_or(""))?;
    start(
        w,
        "reporting-org",
        &[
            ("ref", s(d, "reporting_ref").unwrap_or("")),
            ("type", s(d, "reporting_type").unwrap_or("10")),
        ],
    )?;
    narratives(w, d.get("reporting_names").unwrap_or(&null))?;
    end(w, "reporting-org")?;
    // title is required: fall back to the identifier when a project has no title at all
    start(w, "title", &[])?;
    let title = d.get("title").unwrap_or(&null);
    if has_narratives(title) {
        narratives(w, title)?;
    } else {
        text_el(w, "narrative", &[], s(d, "identifier").unwrap_or(""))?;
    }
    end(w, "title")?;
    // the 2.03 XSD requires a description: without one the title stands for it
    let desc = d.get("description").unwrap_or(&null);
    start(w, "description", &[("type", "1")])?;
    if has_narratives(desc) {
        narratives(w, desc)?;
    } else if has_narratives(title) {
        narratives(w, title)?;
    } else {
        text_el(w, "narrative", &[], s(d, "identifier").unwrap_or(""))?;
    }
    end(w, "description")?;
    for f in d["funders"].as_array().into_iter().flatten() {
        if let Some(name) = f.as_str() {
            start(w, "participating-org", &[("role", "1")])?;
            text_el(w, "narrative", &[], name)?;
            end(w, "participating-org")?;
        }
    }
    if let Some(owner) = s(d, "owner").filter(|o| !o.trim().is_empty()) {
        start(w, "participating-org", &[("role", "4")])?;
        text_el(w, "narrative", &[], owner)?;
        end(w, "participating-org")?;
    }
    let funders = d["funders"].as_array().is_some_and(|f| !f.is_empty());
    if !funders && s(d, "owner").is_none_or(|o| o.trim().is_empty()) {
        // the XSD requires a participating organisation: the reporting one is accountable
        let org = [
            ("ref", s(d, "reporting_ref").unwrap_or("")),
            ("role", "2"),
            ("type", s(d, "reporting_type").unwrap_or("10")),
        ];
        start(w, "participating-org", &org)?;
        narratives(w, d.get("reporting_names").unwrap_or(&null))?;
        end(w, "participating-org")?;
    }
    let status = d["status"].as_i64().unwrap_or(1).to_string();
    empty(w, "activity-status", &[("code", &status)])?;
    for t in ["1", "2", "3", "4"] {
        if let Some(date) = d["dates"].get(t).and_then(Value::as_str) {
            empty(w, "activity-date", &[("iso-date", date), ("type", t)])?;
        }
    }
    empty(
        w,
        "recipient-country",
        &[("code", "TN"), ("percentage", "100")],
    )?;
    for l in d["locations"].as_array().into_iter().flatten() {
        loc(w, l)?;
    }
    if let Some(code) = s(d, "sector") {
        empty(w, "sector", &[("vocabulary", "1"), ("code", code)])?;
    }
    if let Some(b) = d.get("budget").filter(|b| b.is_object()) {
        let (from, to) = (s(b, "start").unwrap_or(""), s(b, "end").unwrap_or(""));
        start(w, "budget", &[("type", "1"), ("status", "1")])?;
        empty(w, "period-start", &[("iso-date", from)])?;
        empty(w, "period-end", &[("iso-date", to)])?;
        value(w, s(b, "value").unwrap_or("0"), from)?;
        end(w, "budget")?;
    }
    if let Some(date) = s(d, "transaction_date") {
        for c in d["commitments"].as_array().into_iter().flatten() {
            transaction(w, "2", date, s(c, "value").unwrap_or("0"), s(c, "funder"))?;
        }
    }
    for t in d["disbursements"].as_array().into_iter().flatten() {
        let date = s(t, "date").unwrap_or("");
        transaction(w, "3", date, s(t, "value").unwrap_or("0"), None)?;
    }
    end(w, "iati-activity")
}

fn transaction(w: &mut W, kind: &str, date: &str, amount: &str, provider: Option<&str>) -> R {
    start(w, "transaction", &[])?;
    empty(w, "transaction-type", &[("code", kind)])?;
    empty(w, "transaction-date", &[("iso-date", date)])?;
    value(w, amount, date)?;
    if let Some(p) = provider.filter(|p| !p.trim().is_empty()) {
        start(w, "provider-org", &[])?;
        text_el(w, "narrative", &[], p)?;
        end(w, "provider-org")?;
    }
    end(w, "transaction")
}

fn loc(w: &mut W, l: &Value) -> R {
    let precision = s(l, "precision").unwrap_or("approximate");
    let (exactness, class, reach) = location::codes(precision);
    start(w, "location", &[("ref", s(l, "ref").unwrap_or(""))])?;
    empty(w, "location-reach", &[("code", reach)])?;
    if let Some(name) = s(l, "name").filter(|n| !n.trim().is_empty()) {
        start(w, "name", &[])?;
        text_el(w, "narrative", &[], name)?;
        end(w, "name")?;
    }
    if let (Some(code), Some(level)) = (s(l, "unit_code"), l.get("level").and_then(Value::as_i64)) {
        let level = level.to_string();
        empty(
            w,
            "administrative",
            &[
                ("vocabulary", location::ADMIN_VOCABULARY),
                ("level", &level),
                ("code", code),
            ],
        )?;
    }
    if let (Some(lat), Some(lon)) = (s(l, "lat"), s(l, "lon")) {
        start(w, "point", &[("srsName", location::SRS_NAME)])?;
        text_el(w, "pos", &[], &format!("{lat} {lon}"))?;
        end(w, "point")?;
    }
    empty(w, "exactness", &[("code", exactness)])?;
    empty(w, "location-class", &[("code", class)])?;
    end(w, "location")
}
