//! Caveats: what a figure cannot claim because the layer it is computed from is incomplete. The
//! same bilingual text in the API (`caveats`) and on the diagnosis sheet. See docs/indicators.md.
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::error::AppResult;

/// The caveats of the facility-based figures (counts per 10,000 inhabitants, nearest distances):
/// the facility layer is whatever was imported — in the sample a 1,501-point OpenStreetMap extract,
/// not an inventory — so a zero means "none recorded", not "none". Empty when no facility is loaded.
pub async fn facilities(pool: &PgPool) -> AppResult<Vec<Value>> {
    let (n, sources): (i64, Option<String>) = sqlx::query_as(
        "SELECT count(*), string_agg(DISTINCT coalesce(source, 'unknown'), '; ') FROM facility",
    )
    .fetch_one(pool)
    .await?;
    if n == 0 {
        return Ok(vec![]);
    }
    let sources = sources.unwrap_or_default();
    let osm = sources.contains("OpenStreetMap");
    Ok(vec![json!({
        "figures": ["facilities", "school_count", "school_per_10k", "school_nearest_km", "health_count",
                    "health_per_10k", "health_nearest_km", "administration_count", "administration_per_10k",
                    "administration_nearest_km", "post_count", "post_per_10k", "post_nearest_km",
                    "police_count", "police_per_10k", "police_nearest_km"],
        "kind": "incomplete_layer",
        "layer": "facility",
        "facilities_loaded": n,
        "sources": sources,
        "fr": format!(
            "Équipements : calculés sur les {n} équipements chargés ({}), qui ne sont pas un inventaire \
             complet. Un zéro signifie « aucun recensé », pas « aucun » ; les distances sont des maxima.",
            if osm { "extrait OpenStreetMap" } else { "source déclarée" }
        ),
        "ar": format!(
            "المرافق: محسوبة على {n} مرفقا محمّلا ({})، وهي ليست جردا كاملا. الصفر يعني «لا شيء مسجّل» وليس «لا شيء»، والمسافات حدود قصوى.",
            if osm { "مستخرج من OpenStreetMap" } else { "المصدر المصرّح به" }
        ),
        "en": format!(
            "Facilities: computed from the {n} facilities loaded ({}), not a complete inventory. \
             Zero means none recorded, not none; distances are upper bounds.",
            if osm { "an OpenStreetMap extract" } else { "declared source" }
        ),
    })])
}

/// Add `caveats` to a JSON object answer.
pub fn attach(body: &str, caveats: Vec<Value>) -> Result<Value, serde_json::Error> {
    let mut v: Value = serde_json::from_str(body)?;
    if let Some(o) = v.as_object_mut() {
        o.insert("caveats".into(), Value::Array(caveats));
    }
    Ok(v)
}

/// CSV that spreadsheets open as UTF-8 (Arabic intact): a byte order mark first.
pub fn with_bom(text: String) -> String {
    let mut out = String::with_capacity(text.len() + 3);
    out.push('\u{FEFF}');
    out.push_str(&text);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bom_is_the_three_utf8_bytes() {
        assert_eq!(
            &super::with_bom("a".into()).as_bytes()[..3],
            &[0xEF, 0xBB, 0xBF]
        );
    }
}
