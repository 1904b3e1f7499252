//! The pieces the diagnosis sheet is made of: names of codes, values read from the diagnosis JSON,
//! formatted numbers (whole dinars), chart bars.
use serde_json::Value;

use super::text::Lang;
use crate::indicators::svg::{number, Bar};

pub(super) use crate::html::codes::names;

pub(super) fn f(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(|x| {
        x.as_f64()
            .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
    })
}

pub(super) fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The name of `code` in `lang`.
pub(super) fn name(lang: Lang, code: &str) -> &str {
    let (fr, ar) = names(code);
    lang.fr_ar(fr, ar)
}

/// A count or an amount in whole units (dinars: no millimes on the sheet); "—" when unknown.
pub(super) fn whole(v: Option<f64>) -> String {
    num(v, 0)
}

pub(super) fn num(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| number(x, decimals)).unwrap_or_else(|| "—".into())
}

pub(super) fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{} %", number(x * 100.0, 1)))
        .unwrap_or_else(|| "—".into())
}

/// Bars from an object of `{key: {"budget_tnd": …}}` or `{key: amount}`, largest first (ties in
/// the order of their names), in whole units.
pub(super) fn breakdown(lang: Lang, obj: Option<&Value>, field: Option<&str>) -> Vec<Bar> {
    let mut bars: Vec<Bar> = obj
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let value = match field {
                        Some(fl) => f(v, fl).unwrap_or(0.0),
                        None => v
                            .as_f64()
                            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                            .unwrap_or(0.0),
                    };
                    Bar {
                        label: name(lang, k).to_string(),
                        value,
                        highlight: false,
                        shown: number(value, 0),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    bars.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| a.label.cmp(&b.label))
    });
    bars
}
