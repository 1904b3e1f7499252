//! URLs in links, `Location` headers and pages: a leaf, it depends on nothing in `features`.

/// What a path segment keeps as is: letters, digits and `-_.~` (RFC 3986 unreserved).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encode one URL component (a feature id in a path, a value in a query).
pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::urlencode;

    #[test]
    fn reserved_and_non_ascii_are_encoded() {
        assert_eq!(urlencode("a b/c?d&e=f"), "a%20b%2Fc%3Fd%26e%3Df");
        assert_eq!(urlencode("P-1_2.3~"), "P-1_2.3~");
        assert_eq!(urlencode("تونس"), "%D8%AA%D9%88%D9%86%D8%B3");
    }
}
