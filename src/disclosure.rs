//! The disclosure levels of a project location (issue 13, item 3; docs/disclosure.md): the one
//! list of valid values and its validation, for every writer — the features write path, the
//! planning API (`projects::disclosure`), the file importer and the IATI import. A leaf: the
//! importer cannot use `projects` (projects → config → import).

/// The levels, from the most to the least revealing (the order of "strictest").
pub const LEVELS: &[&str] = &["exact", "displaced", "unit", "withheld"];

/// What a caller is told when a level is not one of [`LEVELS`].
pub const HELP: &str = "exact (as drawn), displaced (moved 0.5–2 km inside its municipality), \
     unit (published as its municipality's point) or withheld (not published)";

/// The one validation of a disclosure level, for every writer (features, this API, imports).
pub fn parse(raw: &str) -> Result<&'static str, String> {
    let v = raw.trim();
    LEVELS
        .iter()
        .find(|l| l.eq_ignore_ascii_case(v))
        .copied()
        .ok_or_else(|| format!("disclosure '{raw}' is not valid: give {HELP}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_list_of_levels() {
        assert_eq!(parse(" Unit "), Ok("unit"));
        for l in LEVELS {
            assert_eq!(parse(l), Ok(*l));
        }
        let e = parse("fuzzy").unwrap_err();
        assert!(e.contains("withheld") && e.contains("'fuzzy'"), "{e}");
    }
}
