//! Small inline SVG pictures for the diagnosis sheet: the unit's outline with its projects, and
//! horizontal bar charts. Pure functions; every text is escaped; no external assets.
use crate::web::esc;

/// A project dot on the map: x, y (SVG units, y pointing down), colour class.
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub class: &'static str,
    pub title: String,
}

/// The unit's outline (`path`: SVG path data in the `view_box` coordinates) with dots.
pub fn map(
    view_box: [f64; 4],
    path: &str,
    settlement: Option<(f64, f64)>,
    dots: &[Dot],
    label: &str,
) -> String {
    let [x, y, w, h] = view_box;
    let pad = w.max(h) * 0.04;
    let r = w.max(h) / 90.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" role=\"img\" aria-label=\"{}\" \
         viewBox=\"{} {} {} {}\" preserveAspectRatio=\"xMidYMid meet\">",
        esc(label),
        fmt(x - pad),
        fmt(y - pad),
        fmt(w + 2.0 * pad),
        fmt(h + 2.0 * pad)
    );
    out.push_str(&format!(
        "<path d=\"{}\" fill=\"#e8eef5\" stroke=\"#234\" stroke-width=\"1.5\" vector-effect=\"non-scaling-stroke\" fill-rule=\"evenodd\"/>",
        esc(path)
    ));
    if let Some((sx, sy)) = settlement {
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#234\"><title>chef-lieu / المقر</title></rect>",
            fmt(sx - r),
            fmt(sy - r),
            fmt(2.0 * r),
            fmt(2.0 * r)
        ));
    }
    for d in dots {
        out.push_str(&format!(
            "<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}</title></circle>",
            d.class,
            fmt(d.x),
            fmt(d.y),
            fmt(r),
            esc(&d.title)
        ));
    }
    out.push_str("</svg>");
    out
}

/// One bar of a chart: label, value, whether to highlight it, the value as shown.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub highlight: bool,
    pub shown: String,
}

/// A horizontal bar chart, `width` pixels wide, bars scaled to the largest value.
pub fn bars(items: &[Bar], width: u32, label: &str) -> String {
    let row = 18.0;
    let label_w = 150.0;
    let value_w = 110.0;
    let bar_w = (f64::from(width) - label_w - value_w).max(40.0);
    let max = items.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = (items.len().max(1) as f64) * row + 4.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"{}\" \
         width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\">",
        esc(label),
        fmt(height),
        fmt(height)
    );
    if items.is_empty() {
        out.push_str("<text x=\"0\" y=\"14\" font-size=\"12\">—</text>");
    }
    for (i, b) in items.iter().enumerate() {
        let y = i as f64 * row + 2.0;
        let w = if max > 0.0 {
            (b.value / max * bar_w).max(if b.value > 0.0 { 1.0 } else { 0.0 })
        } else {
            0.0
        };
        let fill = if b.highlight { "#c0392b" } else { "#4a7bb7" };
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            fmt(label_w - 4.0),
            fmt(y + 12.0),
            esc(&truncate(&b.label, 24)),
            fmt(label_w),
            fmt(y + 2.0),
            fmt(w),
            fmt(row - 5.0),
            fmt(label_w + w + 4.0),
            fmt(y + 12.0),
            esc(&b.shown)
        ));
    }
    out.push_str("</svg>");
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
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

/// A number with spaces between thousands and `decimals` decimals (French style, comma).
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
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(
            number(11474237067.6, 3),
            "11\u{202f}474\u{202f}237\u{202f}067,600"
        );
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-1234.5, 1), "-1\u{202f}234,5");
        assert_eq!(number(f64::NAN, 1), "—");
        assert_eq!(fmt(-0.001), "0");
        assert_eq!(fmt(12.5), "12.5");
    }

    #[test]
    fn pictures_escape_text() {
        let b = bars(
            &[
                Bar {
                    label: "<eau>".into(),
                    value: 2.0,
                    highlight: false,
                    shown: "2".into(),
                },
                Bar {
                    label: "x".into(),
                    value: 0.0,
                    highlight: true,
                    shown: "0".into(),
                },
            ],
            400,
            "a & b",
        );
        assert!(b.contains("&lt;eau&gt;") && b.contains("a &amp; b") && b.contains("#c0392b"));
        assert!(b.starts_with("<svg") && b.ends_with("</svg>"));
        let m = map(
            [0.0, -10.0, 10.0, 10.0],
            "M 0 0 L 10 -10 Z",
            Some((5.0, -5.0)),
            &[Dot {
                x: 1.0,
                y: -1.0,
                class: "forbidden",
                title: "P1 \"x\"".into(),
            }],
            "Tunis",
        );
        assert!(m.contains("viewBox=\"-0.4 -10.4 10.8 10.8\""), "{m}");
        assert!(m.contains("class=\"forbidden\"") && m.contains("P1 &quot;x&quot;"));
    }
}
