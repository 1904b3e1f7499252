//! The sheet, rendered from a small document.
use super::*;
use serde_json::json;

#[test]
fn renders_a_bilingual_sheet() {
    let d = json!({
        "level": "municipality", "generated_at": "2025-03-01T10:00:00Z",
        "unit": {"code": "1111", "name_fr": "Tunis", "name_ar": "تونس", "population": 614703, "population_year": 2019,
                 "budget_per_inhabitant": 12.5, "by_theme": {"water": {"projects": 2, "budget_tnd": 100.0}},
                 "by_status": {"completed": {"projects": 1, "budget_tnd": 1}}, "by_funding": {"donor_loan": 100},
                 "school_count": 3, "population_source": "INS <2019>"},
        "peers": [{"code": "1111", "name_fr": "Tunis", "budget_per_inhabitant": 12.5}],
        "national": {"budget_per_inhabitant": 1000.0},
        "projects": {"count": 1, "conformity": {"allowed": 1},
                     "items": [{"code": "P1", "title_fr": "Route", "verdict": "allowed", "blocked": true, "blocked_cause": "<x>"}]},
        "map": {"view_box": [0.0, -10.0, 10.0, 10.0], "path": "M 0 0 L 10 -10 Z", "projects": [[1.0, -1.0, "P1", "allowed", "completed"]]}
    });
    let html = render(&d);
    assert!(html.contains("Fiche de diagnostic") && html.contains("بطاقة تشخيص"));
    assert!(html.contains("Commune Tunis") && html.contains("614\u{202f}703"));
    assert!(html.contains("<svg") && html.contains("class=\"allowed\""));
    assert!(html.contains("&lt;x&gt;") && html.contains("INS &lt;2019&gt;"));
    assert!(!html.contains("<script") && !html.contains("http://cdn"));
}
