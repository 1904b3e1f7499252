//! The sheet's map: the unit's outline, its seat, its precisely located projects drawn as points,
//! lines and areas coloured by their conformity, a scale bar and a legend.
use maud::{html, Markup};
use serde_json::Value;

use super::parts::{f, name, s};
use super::text::{t, Lang};
use crate::indicators::svg::{self, Shape, ShapeKind};

/// The conformity verdicts, in the legend's order, with their colour class.
const VERDICTS: [&str; 4] = ["allowed", "conditional", "forbidden", "not_assessed"];

fn class(verdict: Option<&str>) -> &'static str {
    match verdict {
        Some("forbidden") => "forbidden",
        Some("conditional") => "conditional",
        Some("allowed") => "allowed",
        _ => "not_assessed",
    }
}

/// The locations of `map.shapes` (points, lines, areas); older documents only have `map.projects`
/// (one point per location).
fn shapes(m: &Value) -> Vec<Shape> {
    let list = |k: &str| {
        m.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let shapes = list("shapes");
    if !shapes.is_empty() {
        return shapes
            .iter()
            .map(|p| Shape {
                kind: match s(p, "kind") {
                    "line" => ShapeKind::Line,
                    "area" => ShapeKind::Area,
                    _ => ShapeKind::Point,
                },
                d: s(p, "d").to_string(),
                x: f(p, "x").unwrap_or(0.0),
                y: f(p, "y").unwrap_or(0.0),
                class: class(p.get("verdict").and_then(Value::as_str)),
                title: s(p, "code").to_string(),
            })
            .collect();
    }
    list("projects")
        .iter()
        .filter_map(|p| {
            let p = p.as_array()?;
            Some(Shape {
                kind: ShapeKind::Point,
                d: String::new(),
                x: p.first()?.as_f64()?,
                y: p.get(1)?.as_f64()?,
                class: class(p.get(3).and_then(Value::as_str)),
                title: p.get(2).and_then(Value::as_str).unwrap_or("").to_string(),
            })
        })
        .collect()
}

/// The map figure with its legend, or a plain sentence when the unit has no outline.
pub(super) fn figure(lang: Lang, d: &Value, label: &str) -> Markup {
    let m = d.get("map").unwrap_or(&Value::Null);
    let vb: Vec<f64> = m
        .get("view_box")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    if vb.len() != 4 {
        return html! { p class="empty" { (t(lang, "no_map")) } };
    }
    let settlement = m
        .get("settlement")
        .and_then(Value::as_array)
        .and_then(|a| Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?)));
    let shapes = shapes(m);
    let swatch = |kind: &str, class: &str| -> Markup {
        html! {
            svg class="sw" width="26" height="14" viewBox="0 0 26 14" aria-hidden="true" {
                @match kind {
                    "line" => { path class=(format!("line {class}")) d="M 2 11 L 12 4 L 24 8" fill="none" stroke-width="3" {} }
                    "area" => { rect class=(format!("area {class}")) x="3" y="2" width="20" height="10" fill-opacity="0.45" stroke-width="1.2" {} }
                    "unit" => { rect x="3" y="2" width="20" height="10" fill="#eef2f7" stroke="#234" stroke-width="1.5" {} }
                    "seat" => { rect x="9" y="3" width="8" height="8" fill="#234" {} }
                    _ => { circle class=(format!("point {class}")) cx="13" cy="7" r="5" stroke="#fff" {} }
                }
            }
        }
    };
    html! {
        figure class="mapfig" {
            (svg::map([vb[0], vb[1], vb[2], vb[3]], s(m, "path"), settlement, &shapes, label))
            figcaption class="legend" {
                ul {
                    li { (swatch("unit", "")) (t(lang, "legend_unit")) }
                    @if settlement.is_some() { li { (swatch("seat", "")) (t(lang, "legend_seat")) } }
                    li { (swatch("point", "not_assessed")) (t(lang, "legend_point")) }
                    li { (swatch("line", "not_assessed")) (t(lang, "legend_line")) }
                    li { (swatch("area", "not_assessed")) (t(lang, "legend_area")) }
                }
                p class="legend-title" { (t(lang, "conformity")) }
                ul {
                    @for v in VERDICTS { li { (swatch("point", v)) (name(lang, v)) } }
                }
                @if shapes.is_empty() { p class="empty" { (t(lang, "no_located")) } }
            }
        }
    }
}
