//! A small map as inline SVG, from GeoJSON geometries (CRS84): points as dots, lines as lines,
//! polygons as filled shapes. Printable, no script, no external asset; the shapes are linked and
//! titled (escaped by maud). Coordinates are projected equirectangularly around the mean latitude
//! (good enough at the scale of Tunisia) and rounded to a thousandth of the extent, so a detailed
//! boundary costs a few kilobytes.
use maud::{html, Markup};
use serde_json::Value;

/// One shape on the map: its GeoJSON geometry, a CSS class (`unit`, `project`, `context`), a
/// title (tooltip) and where a click leads.
pub struct Shape<'a> {
    pub geometry: &'a Value,
    pub class: &'static str,
    pub title: String,
    pub href: Option<String>,
}

struct Frame {
    min_x: f64,
    max_y: f64,
    kx: f64,
    scale: f64,
}

impl Frame {
    fn xy(&self, p: &[f64]) -> (f64, f64) {
        (
            ((p[0] - self.min_x) * self.kx * self.scale).round(),
            ((self.max_y - p[1]) * self.scale).round(),
        )
    }
}

const SIZE: f64 = 1000.0;

fn positions(g: &Value, out: &mut Vec<[f64; 2]>) {
    match g {
        Value::Array(a) if a.len() >= 2 && a[0].is_number() => {
            if let (Some(x), Some(y)) = (a[0].as_f64(), a[1].as_f64()) {
                out.push([x, y]);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| positions(v, out)),
        Value::Object(o) => {
            if let Some(c) = o.get("coordinates") {
                positions(c, out);
            }
            if let Some(Value::Array(gs)) = o.get("geometries") {
                gs.iter().for_each(|v| positions(v, out));
            }
        }
        _ => {}
    }
}

fn ring(f: &Frame, ring: &Value, close: bool, d: &mut String) {
    let Some(pts) = ring.as_array() else { return };
    let mut last = None;
    for p in pts.iter().filter_map(|p| p.as_array()) {
        let nums: Vec<f64> = p.iter().filter_map(Value::as_f64).collect();
        if nums.len() < 2 {
            continue;
        }
        let xy = f.xy(&nums);
        if last == Some(xy) {
            continue;
        }
        d.push(if last.is_none() { 'M' } else { 'L' });
        d.push_str(&format!("{} {}", xy.0, xy.1));
        last = Some(xy);
    }
    if close && last.is_some() {
        d.push('Z');
    }
}

/// SVG path data for lines and polygons, and the dots, of one geometry.
fn draw(f: &Frame, g: &Value, d: &mut String, dots: &mut Vec<(f64, f64)>, area: &mut bool) {
    let c = &g["coordinates"];
    let each = |v: &Value| v.as_array().cloned().unwrap_or_default();
    match g["type"].as_str().unwrap_or("") {
        "Point" => dots.extend(c.as_array().map(|_| {
            let n: Vec<f64> = each(c).iter().filter_map(Value::as_f64).collect();
            f.xy(&n)
        })),
        "MultiPoint" => {
            for p in each(c) {
                let n: Vec<f64> = each(&p).iter().filter_map(Value::as_f64).collect();
                if n.len() >= 2 {
                    dots.push(f.xy(&n));
                }
            }
        }
        "LineString" => ring(f, c, false, d),
        "MultiLineString" => each(c).iter().for_each(|l| ring(f, l, false, d)),
        "Polygon" => {
            *area = true;
            each(c).iter().for_each(|r| ring(f, r, true, d));
        }
        "MultiPolygon" => {
            *area = true;
            for poly in each(c) {
                each(&poly).iter().for_each(|r| ring(f, r, true, d));
            }
        }
        "GeometryCollection" => {
            for g in each(&g["geometries"]) {
                draw(f, &g, d, dots, area);
            }
        }
        _ => {}
    }
}

/// The map of `shapes`, framed on all of them; `label` is its accessible name. `None` when no
/// shape has a coordinate (the caller says so in words instead).
pub fn map(shapes: &[Shape], label: &str) -> Option<Markup> {
    let mut pts = Vec::new();
    shapes.iter().for_each(|s| positions(s.geometry, &mut pts));
    if pts.is_empty() {
        return None;
    }
    let fold =
        |i: usize, init: f64, pick: fn(f64, f64) -> f64| pts.iter().map(|p| p[i]).fold(init, pick);
    let bbox = [
        fold(0, f64::MAX, f64::min),
        fold(1, f64::MAX, f64::min),
        fold(0, f64::MIN, f64::max),
        fold(1, f64::MIN, f64::max),
    ];
    Some(map_in(shapes, label, bbox))
}

/// The map of `shapes` framed on `bbox` (west, south, east, north): what lies outside is cut off
/// (a project with locations across the country, on a unit's page).
// size: one template (the projection, then one group per shape)
pub fn map_in(shapes: &[Shape], label: &str, bbox: [f64; 4]) -> Markup {
    let [min_x, min_y, max_x, max_y] = bbox;
    let kx = ((min_y + max_y) / 2.0).to_radians().cos().max(0.2);
    // a lone point gets a frame about 2 km wide
    let span = ((max_x - min_x) * kx).max(max_y - min_y).max(0.02);
    let pad = span * 0.06;
    let f = Frame {
        min_x: min_x - pad / kx,
        max_y: max_y + pad,
        kx,
        scale: SIZE / (span + 2.0 * pad),
    };
    let w = (((max_x - min_x) * kx + 2.0 * pad) * f.scale)
        .round()
        .max(SIZE * 0.4);
    let h = (((max_y - min_y) + 2.0 * pad) * f.scale)
        .round()
        .max(SIZE * 0.4);
    let r = (SIZE / 80.0).round();
    html! {
        svg.map xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label)
            viewBox={ "0 0 " (w) " " (h) } preserveAspectRatio="xMidYMid meet" {
            style { "svg.map .unit{fill:#e8eef5;stroke:#234;stroke-width:2}svg.map .context{fill:none;stroke:#8a96a3;stroke-width:1.5;stroke-dasharray:6 4}\
                     svg.map .project{fill:#d2552b;fill-opacity:.35;stroke:#a63a16;stroke-width:4}svg.map .project.line{fill:none}\
                     svg.map circle.project{fill:#d2552b;fill-opacity:1;stroke:#fff;stroke-width:3}\
                     svg.map path,svg.map circle{vector-effect:non-scaling-stroke}svg.map a:hover path,svg.map a:hover circle{stroke:#0b5cad}" }
            @for s in shapes {
                @let (d, dots, area) = {
                    let (mut d, mut dots, mut area) = (String::new(), Vec::new(), false);
                    draw(&f, s.geometry, &mut d, &mut dots, &mut area);
                    (d, dots, area)
                };
                @let class = if area { s.class.to_string() } else { format!("{} line", s.class) };
                @let inner = html! {
                    title { (s.title) }
                    @if !d.is_empty() { path class=(class) d=(d) fill-rule="evenodd" {} }
                    @for (x, y) in &dots { circle class=(s.class) cx=(x) cy=(y) r=(r) {} }
                };
                @if let Some(href) = &s.href { a href=(href) { (inner) } } @else { g { (inner) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn points_lines_and_polygons_are_drawn_as_such() {
        let poly = json!({"type":"Polygon","coordinates":[[[10.0,36.0],[10.2,36.0],[10.2,36.2],[10.0,36.0]]]});
        let line = json!({"type":"LineString","coordinates":[[10.05,36.05],[10.1,36.1]]});
        let pt = json!({"type":"Point","coordinates":[10.1,36.1]});
        let shapes = [
            Shape {
                geometry: &poly,
                class: "unit",
                title: "<u>".into(),
                href: None,
            },
            Shape {
                geometry: &line,
                class: "project",
                title: "l".into(),
                href: Some("/p?a=1&b=2".into()),
            },
            Shape {
                geometry: &pt,
                class: "project",
                title: "p".into(),
                href: None,
            },
        ];
        let svg = map(&shapes, "m").unwrap().into_string();
        assert!(
            svg.contains("class=\"unit\"") && svg.contains("Z\""),
            "{svg}"
        );
        assert!(svg.contains("class=\"project line\""), "{svg}");
        assert!(svg.contains("<circle"), "{svg}");
        assert!(
            svg.contains("&lt;u&gt;") && svg.contains("a=1&amp;b=2"),
            "{svg}"
        );
        assert!(map(
            &[Shape {
                geometry: &Value::Null,
                class: "unit",
                title: String::new(),
                href: None
            }],
            "m"
        )
        .is_none());
    }
}
