//! A strict pre-read of CSV files. GDAL's CSV driver reads a row with too few fields as a row with
//! empty values, drops extra fields, and reads an unterminated quote to the end of the file, all
//! without a word: a ragged or truncated CSV would be imported with blanks where data was lost.
//! Before GDAL reads a plain CSV file, every record is counted here (RFC 4180 quoting: `"…"`, `""`
//! inside quotes, line breaks inside quotes); any record whose field count differs from the
//! header's, or an unterminated quote, stops the import with the line it starts on.
use std::path::Path;

/// The separator GDAL will use: `SEPARATOR=` from the open options, else guessed from the header
/// as GDAL does (semicolon or tab when the header has more of them than commas).
fn separator(header: &str, open_options: &[String]) -> u8 {
    for o in open_options {
        if let Some((k, v)) = o.split_once('=') {
            if k.trim().eq_ignore_ascii_case("SEPARATOR") {
                return match v.trim().to_ascii_uppercase().as_str() {
                    "SEMICOLON" => b';',
                    "TAB" => b'\t',
                    "SPACE" => b' ',
                    "PIPE" => b'|',
                    _ => b',',
                };
            }
        }
    }
    let count = |c: char| header.matches(c).count();
    let (commas, semis, tabs) = (count(','), count(';'), count('\t'));
    if semis > commas && semis >= tabs {
        b';'
    } else if tabs > commas && tabs > semis {
        b'\t'
    } else {
        b','
    }
}

/// Check that every record of the CSV text has the header's number of fields.
/// `Err` says which line (1-based, where the record starts) and what is wrong.
pub fn check_csv_text(text: &str, open_options: &[String]) -> Result<usize, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header = text.lines().next().unwrap_or("");
    let sep = separator(header, open_options);
    let bytes = text.as_bytes();
    let (mut i, mut line) = (0usize, 1usize);
    let mut expected: Option<usize> = None;
    let mut records = 0usize;
    while i < bytes.len() {
        let start_line = line;
        let mut fields = 1usize;
        let mut blank = true;
        // One record.
        loop {
            if i >= bytes.len() {
                break;
            }
            let b = bytes[i];
            if b == b'"' {
                blank = false;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => {
                            return Err(format!(
                                "line {start_line}: a quoted value is never closed (the file is truncated or a quote is missing)"
                            ))
                        }
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\n') => {
                            line += 1;
                            i += 1
                        }
                        Some(_) => i += 1,
                    }
                }
            } else if b == sep {
                blank = false;
                fields += 1;
                i += 1;
            } else if b == b'\n' || b == b'\r' {
                if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                i += 1;
                line += 1;
                break;
            } else {
                if !(b == b' ' || b == b'\t') {
                    blank = false;
                }
                i += 1;
            }
        }
        if blank && fields == 1 {
            continue; // empty line
        }
        match expected {
            None => expected = Some(fields),
            Some(n) if n != fields => {
                return Err(format!(
                    "line {start_line} has {fields} fields where the header has {n} (a ragged or truncated row)"
                ))
            }
            Some(_) => records += 1,
        }
    }
    Ok(records)
}

/// [`check_csv_text`] on a plain CSV file; other paths (GDAL virtual files, `CSV:` prefixes) are
/// left to GDAL.
pub fn check_csv(path: &Path, open_options: &[String]) -> Result<(), String> {
    let s = path.to_string_lossy();
    if !s.to_ascii_lowercase().ends_with(".csv") || s.starts_with("/vsi") || !path.is_file() {
        return Ok(());
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&bytes);
    check_csv_text(&text, open_options).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_and_truncated_rows_are_found() {
        let ok = "a,b,c\n1,\"x, y\",3\r\n2,\"multi\nline \"\"q\"\"\",4\n\n";
        assert_eq!(check_csv_text(ok, &[]), Ok(2));
        let short = "a,b,c\n1,2,3\n4,5\n";
        assert!(check_csv_text(short, &[])
            .unwrap_err()
            .starts_with("line 3 has 2 fields"));
        let long = "a;b\n1;2;3\n";
        assert!(check_csv_text(long, &[])
            .unwrap_err()
            .starts_with("line 2 has 3"));
        let cut = "a,b\n1,\"abc\n";
        assert!(check_csv_text(cut, &[])
            .unwrap_err()
            .contains("never closed"));
        let tab = "a\tb\n1\t2\n";
        assert_eq!(check_csv_text(tab, &[]), Ok(1));
        let forced = ["SEPARATOR=SEMICOLON".to_string()];
        assert_eq!(check_csv_text("a;b,c\n1;2,3\n", &forced), Ok(1));
    }
}
