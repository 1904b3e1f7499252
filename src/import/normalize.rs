//! Cleaning of imported text and codes. Pure functions.
//!
//! This is storage normalisation: what is kept in the database. Search folding (hamza/alef
//! variants, accents, case) is a separate, lossy step done by the database's `mk_fold()`.
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

/// Invisible format and bidi-control characters that creep into copied Arabic names.
pub fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// Persian/Urdu letter forms that are typed instead of the Arabic letters in Tunisian names.
fn arabic_letter(c: char) -> char {
    match c {
        '\u{06CC}' => '\u{064A}', // ی Farsi yeh → ي
        '\u{06BE}' => '\u{0647}', // ھ heh doachashmee → ه
        '\u{06A9}' => '\u{0643}', // ک keheh → ك
        '\u{06AA}' => '\u{0643}', // ڪ swash kaf → ك
        _ => c,
    }
}

/// A single-line name: NFC, format characters stripped, whitespace collapsed and trimmed.
/// Empty results are `None`.
pub fn name(s: &str) -> Option<String> {
    clean(s, false, true)
}

/// An Arabic single-line name: as [`name`], plus Persian letter forms mapped to Arabic ones.
pub fn arabic_name(s: &str) -> Option<String> {
    clean(s, true, true)
}

/// A multi-line text (description): NFC, format characters stripped, line breaks kept,
/// spaces within lines collapsed; Persian letter forms mapped when `arabic`.
pub fn long_text(s: &str, arabic: bool) -> Option<String> {
    clean(s, arabic, false)
}

fn clean(s: &str, arabic: bool, single_line: bool) -> Option<String> {
    let mapped: String = s
        .chars()
        .filter(|c| !is_format_char(*c))
        .map(|c| if arabic { arabic_letter(c) } else { c })
        .nfc()
        .collect();
    let out = if single_line {
        mapped.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        let lines: Vec<String> = mapped
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        lines.join("\n").trim().to_string()
    };
    (!out.is_empty()).then_some(out)
}

/// An identifier or official code as text. Numbers read from files as reals (`1151.0`, or the
/// string `"1151.0"`) become `"1151"`; strings are trimmed and cleaned of format characters.
pub fn code(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i.to_string())
            } else if let Some(u) = n.as_u64() {
                Some(u.to_string())
            } else {
                let f = n.as_f64()?;
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    Some(format!("{}", f as i64))
                } else {
                    Some(n.to_string())
                }
            }
        }
        Value::String(s) => {
            let s = name(s)?;
            Some(strip_zero_fraction(&s).unwrap_or(s))
        }
        other => name(&other.to_string()),
    }
}

/// `"1151.0"` → `"1151"`; anything else → `None`.
fn strip_zero_fraction(s: &str) -> Option<String> {
    let (int, frac) = s.split_once('.')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    (digits(int) && digits(frac) && frac.bytes().all(|b| b == b'0')).then(|| int.to_string())
}

/// Any JSON value as text (numbers without a spurious `.0`), for text fields.
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        Value::Number(_) => code(v),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn persian_forms_and_bidi_marks_are_cleaned() {
        // ی (U+06CC) and ھ (U+06BE), with LRM, RLE and PDF marks around, as found in the source data.
        let messy = "\u{202B}سيدی \u{200E}بو  سعيد\u{202C}";
        assert_eq!(arabic_name(messy).as_deref(), Some("سيدي بو سعيد"));
        assert_eq!(arabic_name("\u{FEFF}ھرقلة").as_deref(), Some("هرقلة"));
        assert_eq!(arabic_name("تاکلسة\u{061C}").as_deref(), Some("تاكلسة"));
        assert_eq!(
            arabic_name("\u{2067}المرسى\u{2069}\u{200B}").as_deref(),
            Some("المرسى")
        );
    }

    #[test]
    fn whitespace_is_collapsed_and_empty_is_none() {
        assert_eq!(name("  La\u{00A0}Marsa \t ").as_deref(), Some("La Marsa"));
        assert_eq!(name(" \u{200F} "), None);
        assert_eq!(arabic_name(""), None);
    }

    #[test]
    fn nfc_composes_decomposed_letters() {
        // e + combining acute → é; alef + combining hamza above → أ
        assert_eq!(name("Me\u{0301}denine").as_deref(), Some("Médenine"));
        assert_eq!(arabic_name("\u{0627}\u{0654}").as_deref(), Some("\u{0623}"));
    }

    #[test]
    fn latin_names_are_not_letter_mapped() {
        assert_eq!(name("Sidi Bou Saïd").as_deref(), Some("Sidi Bou Saïd"));
        // plain `name` does not touch Persian letters; only `arabic_name` maps them
        assert_eq!(name("ی").as_deref(), Some("ی"));
    }

    #[test]
    fn long_text_keeps_lines() {
        assert_eq!(
            long_text("  first  line \r\n\u{200E}second line ", false).as_deref(),
            Some("first line\nsecond line")
        );
        assert_eq!(long_text("مشروع کبير", true).as_deref(), Some("مشروع كبير"));
    }

    #[test]
    fn codes_lose_spurious_fractions() {
        assert_eq!(code(&json!(1151.0)).as_deref(), Some("1151"));
        assert_eq!(code(&json!(1151)).as_deref(), Some("1151"));
        assert_eq!(code(&json!("1151.0")).as_deref(), Some("1151"));
        assert_eq!(code(&json!(" 0101 ")).as_deref(), Some("0101"));
        assert_eq!(code(&json!("P048825")).as_deref(), Some("P048825"));
        assert_eq!(code(&json!(12.5)).as_deref(), Some("12.5"));
        assert_eq!(code(&json!("1.5.0")).as_deref(), Some("1.5.0"));
        assert_eq!(code(&json!(null)), None);
        assert_eq!(code(&json!("  ")), None);
    }

    #[test]
    fn text_of_numbers() {
        assert_eq!(text(&json!(2019.0)).as_deref(), Some("2019"));
        assert_eq!(text(&json!("x")).as_deref(), Some("x"));
    }
}
