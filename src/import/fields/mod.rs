//! Canonical fields per target, the mapping from a file's fields onto them, and the conversion
//! of one feature's values into clean, typed JSON (`data`) plus everything else (`attrs`).
use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::{normalize, read::RawFeature, ImportError, Target};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Identifier or official code: text, `1151.0` → `1151`.
    Code,
    /// Vocabulary value (status, class…): code, lower-cased, spaces → `_`.
    Enum,
    Name,
    ArName,
    Text,
    ArText,
    Int,
    /// Decimal number kept as text (exact), e.g. `"1234.5"`.
    Decimal,
    /// `YYYY-MM-DD`; ISO datetimes and `DD/MM/YYYY` are accepted.
    Date,
    Bool,
}

use Kind::*;

const UNITS: &[(&str, Kind)] = &[
    ("code", Code),
    ("name_ar", ArName),
    ("name_fr", Name),
    ("name_en", Name),
    ("parent_code", Code),
    ("population", Int),
    ("population_year", Int),
    ("population_source", Name),
    // validity in the real world, per feature (docs/dates.md); `--valid-from/--valid-to` otherwise
    ("valid_from", Date),
    ("valid_to", Date),
];

const LANDUSE: &[(&str, Kind)] = &[
    ("id", Code),
    ("zone_code", Code),
    ("class", Enum),
    ("municipality_code", Code),
    ("label_fr", Name),
    ("label_ar", ArName),
];

const PROJECTS: &[(&str, Kind)] = &[
    ("code", Code),
    ("title_fr", Name),
    ("title_ar", ArName),
    ("title_en", Name),
    ("description_fr", Text),
    ("description_ar", ArText),
    ("description_en", Text),
    ("theme", Name),
    ("project_type", Name),
    ("owner", Name),
    ("partner", Name),
    ("status", Enum),
    ("planned_start", Date),
    ("planned_end", Date),
    ("actual_start", Date),
    ("actual_end", Date),
    ("budget_tnd", Decimal),
    ("beneficiaries", Int),
    ("is_public", Bool),
    ("location_id", Code),
    ("precision", Enum),
    ("place_name", Name),
    ("unit_code", Code),
    ("disclosure", Enum),
    ("funding_kind", Enum),
    ("funder", Name),
    ("funding_amount", Decimal),
    ("funding_currency", Code),
    ("funding_amount_tnd", Decimal),
];

const FACILITIES: &[(&str, Kind)] = &[
    ("id", Code),
    ("kind", Enum),
    ("subtype", Name),
    ("name", ArName),
    ("name_ar", ArName),
    ("name_fr", Name),
];

const ZONES: &[(&str, Kind)] = &[
    ("code", Code),
    ("name_ar", ArName),
    ("name_fr", Name),
    ("population", Int),
];

/// The canonical fields of a target.
pub fn specs(target: Target) -> &'static [(&'static str, Kind)] {
    match target {
        Target::Landuse => LANDUSE,
        Target::Projects => PROJECTS,
        Target::Facilities => FACILITIES,
        Target::Zones => ZONES,
        _ => UNITS,
    }
}

/// A feature's canonical values (`data`) and unmapped fields (`attrs`).
pub type Converted = (Map<String, Value>, Map<String, Value>);

/// How the canonical fields are filled for one file.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// (canonical name, kind, source field in the file, default value)
    pub fields: Vec<(&'static str, Kind, Option<String>, Option<Value>)>,
    /// `--map`: per canonical field, value translations (compared case-insensitively as text).
    pub value_maps: Vec<(&'static str, Vec<(String, String)>)>,
    /// `--date-format`, tried before the usual formats.
    pub date_format: Option<String>,
}

/// How the file's fields are matched and read (the `--field`, `--default`, `--map`,
/// `--no-auto-fields` and `--date-format` options).
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub explicit: &'a [(String, String)],
    pub defaults: &'a [(String, String)],
    pub value_maps: &'a [(String, Vec<(String, String)>)],
    /// Match the file's fields to canonical names by name (off with `--no-auto-fields`).
    pub auto: bool,
    pub date_format: Option<&'a str>,
}

fn find<'a>(names: &'a [String], wanted: &str) -> Option<&'a String> {
    names
        .iter()
        .find(|n| *n == wanted)
        .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
}

/// Build the mapping from the defaults (same name), `--field` and `--default` options.
pub fn mapping(
    target: Target,
    opts: Options<'_>,
    file_fields: &[String],
) -> Result<Mapping, ImportError> {
    let (explicit, defaults) = (opts.explicit, opts.defaults);
    let specs = specs(target);
    let allowed = || specs.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
    let check = |option: &'static str, t: &str, v: &str| {
        if specs.iter().any(|(n, _)| *n == t) {
            Ok(())
        } else {
            Err(ImportError::UnknownTarget {
                option,
                value: format!("{t}={v}"),
                target: target.as_str(),
                field: t.to_string(),
                allowed: allowed(),
            })
        }
    };
    let mut fields = Vec::with_capacity(specs.len());
    for (name, kind) in specs {
        let mut source = if opts.auto {
            find(file_fields, name).cloned()
        } else {
            None
        };
        for (t, s) in explicit {
            check("field", t, s)?;
            if t == name {
                source = Some(find(file_fields, s).cloned().ok_or_else(|| {
                    ImportError::UnknownSource {
                        value: format!("{t}={s}"),
                        field: s.clone(),
                        available: file_fields.join(", "),
                    }
                })?);
            }
        }
        let mut default = None;
        for (t, v) in defaults {
            check("default", t, v)?;
            if t == name {
                default = Some(Value::String(v.clone()));
            }
        }
        fields.push((*name, *kind, source, default));
    }
    let mut value_maps = Vec::new();
    for (t, pairs) in opts.value_maps {
        let shown = || {
            pairs
                .iter()
                .map(|(a, b)| format!("{a}:{b}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        check("map", t, &shown())?;
        let name = specs.iter().find(|(n, _)| n == t).map(|(n, _)| *n);
        if let Some(name) = name {
            value_maps.push((name, pairs.clone()));
        }
    }
    if let Some(f) = opts.date_format {
        // A format chrono cannot use is an argument error, not thousands of rejections.
        use chrono::format::{Item, StrftimeItems};
        if StrftimeItems::new(f).any(|i| matches!(i, Item::Error)) {
            return Err(ImportError::Args(format!(
                "--date-format {f:?} is not a valid date format (strftime syntax, e.g. %d/%m/%Y)"
            )));
        }
    }
    Ok(Mapping {
        fields,
        value_maps,
        date_format: opts.date_format.map(str::to_string),
    })
}

/// A value as text for `--map` matching: `1.0` and `1` are both `"1"`.
fn map_key(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::String(s) => Some(s.trim().to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Mapping {
    /// The `--map` translation of a field's value, if it has one.
    fn translate(&self, name: &str, raw: &Value) -> Option<Value> {
        let (_, pairs) = self.value_maps.iter().find(|(n, _)| *n == name)?;
        let key = map_key(raw)?;
        pairs
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(&key))
            .map(|(_, to)| Value::String(to.clone()))
    }

    fn is_source(&self, field: &str) -> bool {
        self.fields
            .iter()
            .any(|(_, _, s, _)| s.as_deref() == Some(field))
    }

    /// The feature's canonical values (`data`) and its unmapped fields (`attrs`), or why the
    /// feature cannot be read.
    pub fn convert(&self, f: &RawFeature) -> Result<Converted, String> {
        let mut data = Map::new();
        for (name, kind, source, default) in &self.fields {
            let raw = source
                .as_ref()
                .and_then(|s| f.fields.get(s))
                .filter(|v| !is_blank(v))
                .or(default.as_ref());
            if let Some(raw) = raw {
                let mapped = self.translate(name, raw);
                let raw = mapped.as_ref().unwrap_or(raw);
                let fmt = self.date_format.as_deref();
                if let Some(v) =
                    convert_with(*kind, raw, fmt).map_err(|e| format!("{name}: {e}"))?
                {
                    data.insert((*name).to_string(), v);
                }
            }
        }
        let attrs = f
            .fields
            .iter()
            .filter(|(k, _)| !self.is_source(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok((data, attrs))
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Convert one value to its canonical form; `Ok(None)` when it is empty after cleaning.
#[cfg(test)]
pub fn convert(kind: Kind, v: &Value) -> Result<Option<Value>, String> {
    convert_with(kind, v, None)
}

/// [`convert`], reading dates with `date_format` first when given.
pub fn convert_with(
    kind: Kind,
    v: &Value,
    date_format: Option<&str>,
) -> Result<Option<Value>, String> {
    let text = || normalize::text(v).unwrap_or_default();
    Ok(match kind {
        Code => normalize::code(v).map(Value::String),
        Enum => {
            normalize::code(v).map(|s| Value::String(s.to_lowercase().replace([' ', '-'], "_")))
        }
        Name => normalize::name(&text()).map(Value::String),
        ArName => normalize::arabic_name(&text()).map(Value::String),
        Text => normalize::long_text(&text(), false).map(Value::String),
        ArText => normalize::long_text(&text(), true).map(Value::String),
        Int => Some(Value::from(int(v)?)),
        Decimal => Some(Value::String(decimal(v)?)),
        Date => {
            let t = text();
            let d = match date_format.and_then(|f| NaiveDate::parse_from_str(t.trim(), f).ok()) {
                Some(d) => d,
                None => date(&t).map_err(|e| match date_format {
                    Some(f) => format!("{t:?} does not match --date-format {f:?} nor YYYY-MM-DD"),
                    None => format!("{e}; give the file's format with --date-format, e.g. --date-format %d/%m/%Y"),
                })?,
            };
            Some(Value::String(d.format("%Y-%m-%d").to_string()))
        }
        Bool => Some(Value::Bool(boolean(v)?)),
    })
}

fn int(v: &Value) -> Result<i64, String> {
    let d = decimal(v)?;
    let f: f64 = d
        .parse()
        .map_err(|_| format!("{d:?} is not a whole number"))?;
    if f.fract() != 0.0 || f.abs() > 9.0e15 {
        return Err(format!("{d:?} is not a whole number"));
    }
    Ok(f as i64)
}

/// A decimal number as exact text. Accepts spaces as thousands separators and a decimal comma.
fn decimal(v: &Value) -> Result<String, String> {
    let s = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => return Err(format!("{other} is not a number")),
    };
    let mut t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202F}' && *c != '_')
        .collect();
    if t.contains(',') {
        t = if t.contains('.') {
            t.replace(',', "")
        } else {
            t.replace(',', ".")
        };
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && f.abs() < 1e15 => Ok(t),
        Ok(_) => Err(format!("{s:?} is out of range")),
        Err(_) => Err(format!("{s:?} is not a number")),
    }
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, an ISO 8601 datetime (its date is kept) or `DD/MM/YYYY`.
pub fn date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    let head = s.get(..10).unwrap_or(s);
    let rest_ok = s.len() == 10 || matches!(s.as_bytes().get(10), Some(b'T' | b' ' | b't'));
    if rest_ok {
        for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y"] {
            if let Ok(d) = NaiveDate::parse_from_str(head, fmt) {
                return Ok(d);
            }
        }
    }
    Err(format!("{s:?} is not a date (expected YYYY-MM-DD)"))
}

fn boolean(v: &Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_f64() == Some(1.0) => Ok(true),
        Value::Number(n) if n.as_f64() == Some(0.0) => Ok(false),
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" | "t" | "yes" | "y" | "1" | "oui" | "o" | "vrai" => Ok(true),
            "false" | "f" | "no" | "n" | "0" | "non" | "faux" => Ok(false),
            _ => Err(format!("{s:?} is not true/false")),
        },
        other => Err(format!("{other} is not true/false")),
    }
}

#[cfg(test)]
mod tests;
