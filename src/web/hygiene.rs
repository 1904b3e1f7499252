//! Request hygiene, decided once for every route:
//! - a path or query string that decodes to a NUL byte, another control character or invalid
//!   UTF-8 is refused with 400 before any handler (PostgreSQL cannot store NUL, and no identifier,
//!   code or filter of this server contains one);
//! - error answers produced by the framework itself (a body over the limit, a method a route does
//!   not have, a rejected extractor) get the same JSON exception body as every other error.
use axum::{
    body::{to_bytes, Body},
    http::{header, HeaderValue, StatusCode},
    response::Response,
};
use percent_encoding::percent_decode_str;
use serde_json::json;

/// Why a URI was refused, or None when it is clean.
pub fn uri_problem(path: &str, query: Option<&str>) -> Option<String> {
    // line breaks and tabs are fine in a query (a filter written on several lines), not in a path
    let check = |raw: &str, what: &str, allowed: &[char]| -> Option<String> {
        // printable ASCII with nothing percent-encoded is clean as it is (the common case: no copy)
        if raw.bytes().all(|b| b.is_ascii_graphic() && b != b'%') {
            return None;
        }
        let bytes: Vec<u8> = percent_decode_str(raw).collect();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Some(format!(
                "the {what} is not valid UTF-8 once percent-decoded; encode text as UTF-8"
            ));
        };
        text.chars()
            .find(|c| c.is_control() && !allowed.contains(c))
            .map(|c| {
                format!(
                    "the {what} contains the control character U+{:04X}{}; remove it",
                    c as u32,
                    if c == '\0' { " (%00)" } else { "" }
                )
            })
    };
    check(path, "path", &[])
        .or_else(|| query.and_then(|q| check(q, "query string", &['\t', '\n', '\r'])))
}

/// A framework error answer (a client error in plain text) with the JSON exception body instead;
/// any other answer as it is. The refusal of unclean URIs ([`uri_problem`]) and this are the two
/// halves of the edge middleware (`web::middleware`).
pub async fn json_errors(resp: Response) -> Response {
    if resp.status().is_client_error() && !has_own_body(&resp) {
        return as_json_error(resp).await;
    }
    resp
}

/// Handlers answer errors as JSON (or HTML for browsers); the framework answers in plain text.
fn has_own_body(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| !t.starts_with("text/plain"))
}

/// The framework's text (e.g. "Failed to buffer the body: length limit exceeded") as the
/// description of a JSON exception with the same status and headers.
async fn as_json_error(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let text = to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let status = parts.status;
    let description = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "the request body is larger than this endpoint accepts ({} MiB at most){}",
            crate::guard::DEFAULT_BODY_LIMIT / (1024 * 1024),
            if text.is_empty() {
                String::new()
            } else {
                format!(": {text}")
            }
        ),
        StatusCode::METHOD_NOT_ALLOWED => {
            "this method is not allowed on this resource; its Allow header lists the methods it has"
                .to_string()
        }
        _ if !text.is_empty() => text,
        other => other
            .canonical_reason()
            .unwrap_or("the request was refused")
            .to_string(),
    };
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "PayloadTooLarge",
        StatusCode::METHOD_NOT_ALLOWED => "MethodNotAllowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UnsupportedMediaType",
        StatusCode::NOT_FOUND => "NotFound",
        StatusCode::UNAUTHORIZED => "Unauthorized",
        _ => "InvalidParameterValue",
    };
    let body = serde_json::to_vec(&json!({ "code": code, "description": description }))
        .unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::uri_problem;

    #[test]
    fn refuses_nul_control_and_bad_utf8() {
        assert!(uri_problem("/api/units/municipality/11%0011", None)
            .unwrap()
            .contains("%00"));
        assert!(uri_problem("/x", Some("q=a%00")).unwrap().contains("query"));
        assert!(uri_problem("/x", Some("q=%FF")).unwrap().contains("UTF-8"));
        assert!(uri_problem("/x", Some("q=%1B")).is_some());
        assert_eq!(
            uri_problem("/api/units", Some("q=%D8%AA%D9%88%D9%86%D8%B3")),
            None
        );
        assert_eq!(uri_problem("/x", Some("a=b%09c%0A")), None);
        assert!(uri_problem("/a%0Ab", None).is_some());
    }
}
