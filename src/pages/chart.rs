//! The progress of a project over time as an inline SVG line chart: physical progress (%) and
//! financial progress (paid as a share of the budget, %) at each report date. Printable, no script;
//! labels escaped by maud.
use maud::{html, Markup};

/// One report: its date (YYYY-MM-DD), physical % and financial % (either may be missing).
pub struct Point {
    pub date: String,
    pub physical: Option<f64>,
    pub financial: Option<f64>,
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 40.0;

fn day(date: &str) -> f64 {
    chrono::NaiveDate::parse_from_str(date.get(..10).unwrap_or(date), "%Y-%m-%d")
        .map(|d| f64::from(chrono::Datelike::num_days_from_ce(&d)))
        .unwrap_or(0.0)
}

fn line(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1} {y:.1}", if i == 0 { 'M' } else { 'L' }))
        .collect()
}

/// The chart, `labels` = (physical, financial, accessible name). Points are in date order.
pub fn progress(points: &[Point], labels: (&str, &str, &str)) -> Markup {
    let days: Vec<f64> = points.iter().map(|p| day(&p.date)).collect();
    let (d0, d1) = (
        days.iter().cloned().fold(f64::MAX, f64::min),
        days.iter().cloned().fold(f64::MIN, f64::max),
    );
    let span = (d1 - d0).max(1.0);
    let x = |d: f64| {
        if points.len() == 1 {
            LEFT + (W - LEFT - RIGHT) / 2.0
        } else {
            LEFT + (d - d0) / span * (W - LEFT - RIGHT)
        }
    };
    let y = |v: f64| TOP + (1.0 - v.clamp(0.0, 100.0) / 100.0) * (H - TOP - BOTTOM);
    let series = |pick: fn(&Point) -> Option<f64>| -> Vec<(f64, f64)> {
        points
            .iter()
            .zip(&days)
            .filter_map(|(p, d)| pick(p).map(|v| (x(*d), y(v))))
            .collect()
    };
    let phys = series(|p| p.physical);
    let fin = series(|p| p.financial);
    let first = points.first().map(|p| p.date.as_str()).unwrap_or("");
    let last = points.last().map(|p| p.date.as_str()).unwrap_or("");
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(labels.2) viewBox={ "0 0 " (W) " " (H) } {
            style { "svg.chart .ax{stroke:#c5ccd3;stroke-width:1}svg.chart .t{font:12px system-ui,sans-serif;fill:#5b6673;stroke:none}\
                     svg.chart .phys{stroke:#0b5cad;fill:none;stroke-width:3}svg.chart .fin{stroke:#d2552b;fill:none;stroke-width:3;stroke-dasharray:7 4}\
                     svg.chart circle.phys{fill:#0b5cad}svg.chart circle.fin{fill:#d2552b}" }
            @for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
                line.ax x1=(LEFT) x2=(W - RIGHT) y1=(y(v)) y2=(y(v)) {}
                text.t x=(LEFT - 6.0) y=(y(v) + 4.0) text-anchor="end" { (v) " %" }
            }
            text.t x=(LEFT) y=(H - BOTTOM + 18.0) direction="ltr" { (first) }
            @if points.len() > 1 { text.t x=(W - RIGHT) y=(H - BOTTOM + 18.0) text-anchor="end" direction="ltr" { (last) } }
            path.phys d=(line(&phys)) {}
            @for (cx, cy) in &phys { circle.phys cx=(cx) cy=(cy) r="4" {} }
            path.fin d=(line(&fin)) {}
            @for (cx, cy) in &fin { circle.fin cx=(cx) cy=(cy) r="4" {} }
            line.phys x1=(LEFT) x2=(LEFT + 24.0) y1=(H - 8.0) y2=(H - 8.0) {}
            text.t x=(LEFT + 30.0) y=(H - 4.0) { (labels.0) }
            line.fin x1=(W / 2.0) x2=(W / 2.0 + 24.0) y1=(H - 8.0) y2=(H - 8.0) {}
            text.t x=(W / 2.0 + 30.0) y=(H - 4.0) { (labels.1) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_series_over_time() {
        let pts = [
            Point {
                date: "2024-01-01".into(),
                physical: Some(10.0),
                financial: None,
            },
            Point {
                date: "2024-07-01".into(),
                physical: Some(40.0),
                financial: Some(25.0),
            },
        ];
        let svg = progress(&pts, ("phys", "fin", "<chart>")).into_string();
        assert!(svg.contains("class=\"phys\" d=\"M"), "{svg}");
        assert!(svg.contains("class=\"fin\" d=\"M"), "{svg}");
        assert!(svg.contains("&lt;chart&gt;"));
    }
}
