//! Numbers, escaping, wrapping, the scale bar.
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
fn pictures_escape_text_and_labels_wrap_instead_of_being_cut() {
    let long = "Industrie et commerce et développement urbain durable";
    let b = bars(
        &[
            Bar {
                label: "<eau>".into(),
                value: 2.0,
                highlight: false,
                shown: "2".into(),
            },
            Bar {
                label: long.into(),
                value: 0.0,
                highlight: true,
                shown: "0".into(),
            },
        ],
        320.0,
        "a & b",
        false,
        "rien",
    )
    .into_string();
    assert!(b.contains("&lt;eau&gt;") && b.contains("a &amp; b") && b.contains("#c0392b"));
    assert!(!b.contains('…'), "{b}");
    // every word of the long label is there, over several lines
    assert!(long.split(' ').all(|w| b.contains(w)));
    assert!(b.matches("<tspan").count() > 2, "{b}");
    assert_eq!(
        bars(&[], 320.0, "x", true, "aucun projet").into_string(),
        "<p class=\"empty\">aucun projet</p>"
    );
}

#[test]
fn the_map_draws_lines_and_areas_as_paths_with_a_scale() {
    let m = map(
        [1_000_000.0, -4_400_000.0, 10_000.0, 10_000.0],
        "M 0 0 L 10 -10 Z",
        Some((5.0, -5.0)),
        &[
            Shape {
                kind: ShapeKind::Line,
                d: "M 1 2 L 3 4".into(),
                x: 0.0,
                y: 0.0,
                class: "allowed",
                title: "P1 \"x\"".into(),
            },
            Shape {
                kind: ShapeKind::Area,
                d: "M 1 2 L 3 4 L 5 5 Z".into(),
                x: 0.0,
                y: 0.0,
                class: "forbidden",
                title: "P2".into(),
            },
            Shape {
                kind: ShapeKind::Point,
                d: String::new(),
                x: 1.0,
                y: -1.0,
                class: "unknown",
                title: "P3".into(),
            },
        ],
        "Tunis",
    )
    .into_string();
    assert!(
        m.contains("class=\"line allowed\" d=\"M 1 2 L 3 4\"") && m.contains("P1 &quot;x&quot;"),
        "{m}"
    );
    assert!(
        m.contains("class=\"area forbidden\"") && m.contains("<circle class=\"point unknown\"")
    );
    // 10 km of Mercator at 37° N are about 8 km on the ground: a 2 km bar (30 % of the width)
    assert!(m.contains(">2 km<"), "{m}");
}
