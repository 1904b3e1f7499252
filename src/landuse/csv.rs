//! A small RFC 4180 CSV reader and writer (quoted fields, doubled quotes, CRLF or LF, UTF-8 with or
//! without BOM) for the rule matrix. Pure, unit-tested.

/// Records of `text`, each a list of fields; blank lines are skipped. Errors name the line.
pub fn read(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut line = 1;
    let mut start_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => return Err(format!("line {line}: a quote inside an unquoted field; quote the whole field and double inner quotes")),
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
                if !(record.len() == 1 && record[0].is_empty()) {
                    out.push((start_line, std::mem::take(&mut record)));
                }
                record.clear();
                line += 1;
                start_line = line;
            }
            _ if was_quoted => {
                return Err(format!("line {line}: text after a closing quote; separate fields with commas"))
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(format!("line {start_line}: a quoted field is not closed"));
    }
    record.push(field);
    if !(record.len() == 1 && record[0].is_empty()) {
        out.push((start_line, record));
    }
    Ok(out)
}

/// One CSV field, quoted when needed.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV line (CRLF-terminated, as RFC 4180 says).
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_and_line_ends() {
        let t = "\u{feff}a,b,c\r\n1,\"x, \"\"y\"\"\",\r\n\n2,\"multi\nline\",z";
        let r = read(t).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0], (1, vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(r[1].1, vec!["1", "x, \"y\"", ""]);
        assert_eq!(
            r[2],
            (4, vec!["2".into(), "multi\nline".into(), "z".into()])
        );
        assert!(read("a,\"b").unwrap_err().contains("not closed"));
        assert!(read("a,b\"c\"").unwrap_err().contains("line 1"));
        assert!(read("\"a\"b")
            .unwrap_err()
            .contains("after a closing quote"));
    }

    #[test]
    fn writes_what_it_reads() {
        let fields = [
            "road",
            "green",
            "Espace vert : non constructible, sauf \"réseaux\"",
            "منطقة خضراء",
        ];
        let l = line(&fields);
        assert!(l.ends_with("\r\n"));
        assert_eq!(read(&l).unwrap()[0].1, fields);
    }
}
