//! The sheet, rendered from a small document, in both languages.
use super::*;
use serde_json::json;

fn doc() -> Value {
    json!({
        "level": "municipality", "code": "1111", "generated_at": "2025-03-01T10:00:00Z",
        "unit": {"code": "1111", "name_fr": "Tunis", "name_ar": "تونس", "population": 614703, "population_year": 2019,
                 "budget_tnd": 1234567.891, "budget_per_inhabitant": 12.5, "rank_in_governorate": 2, "units_in_governorate": 3,
                 "by_theme": {"water": {"projects": 2, "budget_tnd": 100.0}},
                 "by_status": {"completed": {"projects": 1, "budget_tnd": 1}}, "by_funding": {},
                 "school_count": 3, "population_source": "INS <2019>"},
        "peers": [{"code": "1111", "name_fr": "Tunis", "budget_per_inhabitant": 12.5, "rank_in_governorate": 2},
                  {"code": "1112", "name_fr": "Carthage", "budget_per_inhabitant": 12.5, "rank_in_governorate": 2}],
        "national": {"budget_per_inhabitant": 1000.0},
        "projects": {"count": 1, "conformity": {"allowed": 1},
                     "items": [{"code": "P1", "title_fr": "Route", "verdict": "allowed", "blocked": true, "blocked_cause": "<x>"}]},
        "map": {"view_box": [0.0, -10.0, 10.0, 10.0], "path": "M 0 0 L 10 -10 Z",
                "shapes": [{"code": "P1", "verdict": "allowed", "kind": "line", "d": "M 1 -1 L 2 -2"}]}
    })
}

#[test]
fn renders_an_a4_sheet_in_french() {
    let html = render(&doc(), Lang::Fr, "http://x");
    assert!(html.contains("Fiche de diagnostic · Commune Tunis") && html.contains("بلدية تونس"));
    assert!(html.contains("size:A4") && html.contains("counter(pages)"));
    assert!(
        html.contains("614\u{202f}703") && html.contains("1\u{202f}234\u{202f}568"),
        "whole dinars"
    );
    assert!(html.contains("class=\"line allowed\""));
    assert!(html.contains("&lt;x&gt;") && html.contains("INS &lt;2019&gt;"));
    assert!(html.contains("2 ex æquo avec 1 autre(s) unité(s), sur 3"));
    assert!(html.contains("Aucun financement enregistré"));
    assert!(html.contains("OpenStreetMap") && html.contains("CC BY 4.0"));
    assert!(!html.contains("<script") && !html.contains("http://cdn"));
}

#[test]
fn renders_right_to_left_in_arabic_and_says_when_there_is_no_project() {
    let mut d = doc();
    d["projects"] = json!({"count": 0, "conformity": {}, "items": []});
    let html = render(&d, Lang::Ar, "http://x");
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">") && html.contains("بطاقة تشخيص"));
    assert!(html.contains("لا يوجد أي مشروع إلى حد الآن."));
    assert!(
        html.contains("href=\"/api/units/municipality/1111/diagnosis?f=html&amp;lang=fr\"")
            && html.contains(">http://x/api/units/municipality/1111/diagnosis?f=html&amp;lang=ar<")
    );
}

#[test]
fn nothing_in_the_title_can_end_the_style_element() {
    let mut d = doc();
    d["unit"]["name_fr"] = json!("</style><script>alert(1)</script>\"");
    let html = render(&d, Lang::Fr, "http://x");
    // two style elements (the layout's, the sheet's), each closed once
    assert!(!html.contains("<script>") && html.matches("</style>").count() == 2);
    assert_eq!(html.matches("<style>").count(), 2);
}
