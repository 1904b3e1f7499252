//! Small inline SVG pictures for the diagnosis sheet: the unit's outline with its projects drawn as
//! what they are (points, lines, areas) and a scale bar, and horizontal bar charts whose labels are
//! measured (generously) and wrapped, never cut. Pure functions; maud escapes every text.
use maud::{html, Markup};

/// How a project location is drawn.
pub enum ShapeKind {
    Point,
    Line,
    Area,
}

/// A project location on the map, in the view box's coordinates (y pointing down).
pub struct Shape {
    pub kind: ShapeKind,
    /// SVG path data (lines and areas).
    pub d: String,
    pub x: f64,
    pub y: f64,
    /// Colour class (the conformity verdict).
    pub class: &'static str,
    pub title: String,
}

/// The unit's outline (`path`: SVG path data in the `view_box` coordinates, Web Mercator metres
/// with y negated), its seat, its project locations and a scale bar labelled in `km`/`m`.
pub fn map(
    view_box: [f64; 4],
    path: &str,
    settlement: Option<(f64, f64)>,
    shapes: &[Shape],
    label: &str,
) -> Markup {
    let [x, y, w, h] = view_box;
    let pad = w.max(h) * 0.04;
    let (vw, vh) = (w + 2.0 * pad, h + 2.0 * pad);
    let band = vw.max(vh) * 0.1;
    let r = w.max(h) / 90.0;
    let (metres, length) = scale(w, y + h / 2.0, vw * 0.3);
    let font = vw.max(vh) * 0.035;
    let (sx0, sy0) = (x - pad + font * 0.5, y + h + pad + band * 0.45);
    let tick = band * 0.18;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" aria-label=(label)
            viewBox=(format!("{} {} {} {}", fmt(x - pad), fmt(y - pad), fmt(vw), fmt(vh + band)))
            preserveAspectRatio="xMidYMid meet" {
            path class="unit" d=(path) fill="#eef2f7" stroke="#234" stroke-width="1.5"
                vector-effect="non-scaling-stroke" fill-rule="evenodd" {}
            @for s in shapes.iter().filter(|s| matches!(s.kind, ShapeKind::Area)) {
                path class=(format!("area {}", s.class)) d=(s.d) fill-opacity="0.45" stroke-width="1.2"
                    vector-effect="non-scaling-stroke" fill-rule="evenodd" { title { (s.title) } }
            }
            @for s in shapes.iter().filter(|s| matches!(s.kind, ShapeKind::Line)) {
                path class=(format!("line {}", s.class)) d=(s.d) fill="none" stroke-width="3"
                    stroke-linecap="round" vector-effect="non-scaling-stroke" { title { (s.title) } }
            }
            @if let Some((px, py)) = settlement {
                rect class="seat" x=(fmt(px - r)) y=(fmt(py - r)) width=(fmt(2.0 * r)) height=(fmt(2.0 * r))
                    fill="#234" {}
            }
            @for s in shapes.iter().filter(|s| matches!(s.kind, ShapeKind::Point)) {
                circle class=(format!("point {}", s.class)) cx=(fmt(s.x)) cy=(fmt(s.y)) r=(fmt(r))
                    stroke="#fff" stroke-width="1" vector-effect="non-scaling-stroke" { title { (s.title) } }
            }
            g class="scale" {
                path d=(format!("M {} {} v {} h {} v {}", fmt(sx0), fmt(sy0 - tick), fmt(tick), fmt(length), fmt(-tick)))
                    fill="none" stroke="#222" stroke-width="2" vector-effect="non-scaling-stroke" {}
                text x=(fmt(sx0 + length + font * 0.4)) y=(fmt(sy0)) font-size=(fmt(font)) direction="ltr" {
                    (scale_label(metres))
                }
            }
        }
    }
}

/// A round ground distance near `target` (Mercator units at Mercator `y_down` = -y), and its length
/// in Mercator units: Web Mercator stretches distances by 1 / cos(latitude).
fn scale(width: f64, y_down: f64, target: f64) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let lat = (-y_down / R).sinh().atan();
    let k = lat.cos().max(0.01);
    let ground = (target.min(width) * k).max(1.0);
    let p = 10f64.powf(ground.log10().floor());
    let nice = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v <= ground)
        .unwrap_or(p);
    (nice, nice / k)
}

fn scale_label(metres: f64) -> String {
    if metres >= 1000.0 {
        format!("{} km", number(metres / 1000.0, 0))
    } else {
        format!("{} m", number(metres, 0))
    }
}

/// One bar of a chart: label, value, whether to highlight it, the value as shown.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub highlight: bool,
    pub shown: String,
}

const FONT: f64 = 11.0;
const LINE: f64 = 13.0;

/// A generous estimate of `s`'s width in pixels at `size` px (wide sans-serif fonts, Arabic).
pub fn text_width(s: &str, size: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            ' ' => 0.34,
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | '\'' | ':' | ';' | '|' | '!' => 0.42,
            'm' | 'w' | 'M' | 'W' | '%' => 0.95,
            c if c.is_ascii_digit() => 0.66,
            c if c.is_uppercase() => 0.78,
            c if c.is_ascii_lowercase() => 0.64,
            '\u{0600}'..='\u{06FF}' => 0.66,
            '\u{202f}' => 0.3,
            _ => 0.72,
        })
        .sum();
    em * size * 1.08
}

/// `s` in lines no wider than `max` px (a word longer than that keeps a line to itself).
pub fn wrap(s: &str, max: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if text_width(&format!("{l} {word}"), size) <= max => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// A horizontal bar chart `width` px wide, bars scaled to the largest value; labels wrapped to at
/// most 42 % of the width; right to left (labels on the right, bars growing leftwards) when `rtl`.
/// `empty` is said when there is nothing to draw.
pub fn bars(items: &[Bar], width: f64, label: &str, rtl: bool, empty: &str) -> Markup {
    if items.is_empty() {
        return html! { p class="empty" { (empty) } };
    }
    let max_label = width * 0.42;
    let wrapped: Vec<Vec<String>> = items
        .iter()
        .map(|b| wrap(&b.label, max_label, FONT))
        .collect();
    let label_w = wrapped
        .iter()
        .flatten()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
        .min(width * 0.6)
        + 6.0;
    let value_w = items
        .iter()
        .map(|b| text_width(&b.shown, FONT))
        .fold(0.0, f64::max)
        + 8.0;
    let bar_w = (width - label_w - value_w).max(20.0);
    let top = items.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let mut y = 2.0;
    let rows: Vec<(f64, &Bar, &Vec<String>)> = items
        .iter()
        .zip(&wrapped)
        .map(|(b, lines)| {
            let at = y;
            y += lines.len() as f64 * LINE + 6.0;
            (at, b, lines)
        })
        .collect();
    let height = y + 2.0;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label=(label) style="direction:ltr"
            width=(fmt(width)) height=(fmt(height)) viewBox=(format!("0 0 {} {}", fmt(width), fmt(height))) {
            @for (at, b, lines) in &rows {
                @let w = if top > 0.0 { (b.value / top * bar_w).max(if b.value > 0.0 { 1.0 } else { 0.0 }) } else { 0.0 };
                @let lx = if rtl { width - 2.0 } else { label_w - 4.0 };
                @let bx = if rtl { width - label_w - w } else { label_w };
                @let (vx, vanchor) = if rtl { (bx - 4.0, "end") } else { (label_w + w + 4.0, "start") };
                @let mid = at + (lines.len() as f64 * LINE) / 2.0;
                text class="label" x=(fmt(lx)) y=(fmt(at + LINE - 2.0)) font-size=(fmt(FONT)) text-anchor="end"
                    font-weight=(if b.highlight { "bold" } else { "normal" }) {
                    @for (i, l) in lines.iter().enumerate() {
                        tspan x=(fmt(lx)) dy=(if i == 0 { "0".to_string() } else { fmt(LINE) }) { (l) }
                    }
                }
                rect x=(fmt(bx)) y=(fmt(mid - 6.0)) width=(fmt(w)) height="12"
                    fill=(if b.highlight { "#c0392b" } else { "#4a7bb7" }) {}
                text class="value" x=(fmt(vx)) y=(fmt(mid + 4.0)) font-size=(fmt(FONT)) text-anchor=(vanchor) {
                    (b.shown)
                }
            }
        }
    }
}

/// A coordinate with at most 2 decimals.
fn fmt(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// A number with narrow spaces between thousands and `decimals` decimals (French style, comma).
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

#[cfg(test)]
mod tests;
