//! The one mapping between our location precisions and IATI location elements (docs/iati.md):
//! exactness, location class and location reach for export, and back for import.

/// IATI GeographicVocabulary used for `administrative/@vocabulary` (see docs/iati.md: the vendored
/// 2.03 codelist has no national-system entry; the codes are our official unit codes).
pub const ADMIN_VOCABULARY: &str = "A1";
pub const SRS_NAME: &str = "http://www.opengis.net/def/crs/EPSG/0/4326";

/// (precision, exactness, location-class, location-reach)
const TABLE: &[(&str, &str, &str, &str)] = &[
    ("exact", "1", "3", "1"),
    ("approximate", "2", "2", "1"),
    ("municipality", "2", "1", "2"),
    ("delegation", "2", "1", "2"),
    ("governorate", "2", "1", "2"),
    ("national", "2", "1", "2"),
];

/// Exactness, location class and reach of a precision.
pub fn codes(precision: &str) -> (&'static str, &'static str, &'static str) {
    let row = TABLE.iter().find(|r| r.0 == precision).unwrap_or(&TABLE[1]);
    (row.1, row.2, row.3)
}

/// The precision of an imported location without an administrative unit: exact points stay exact,
/// other points approximate, an administrative region without unit is national.
pub fn precision_of(exactness: Option<&str>, class: Option<&str>) -> &'static str {
    match (exactness, class) {
        (_, Some("1")) => "national",
        (Some("1"), _) => "exact",
        _ => "approximate",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_point_precisions() {
        for p in ["exact", "approximate", "national"] {
            let (e, c, _) = codes(p);
            assert_eq!(precision_of(Some(e), Some(c)), p);
        }
    }
}
