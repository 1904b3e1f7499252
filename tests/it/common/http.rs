//! Requests the tests send in many shapes: a write with its content type, key and headers.
use reqwest::{Client, Method, Response};

/// GeoJSON, as the features API takes it on POST and PUT.
pub const GEOJSON: &str = "application/geo+json";
/// A JSON merge patch, as the features API takes it on PATCH.
pub const MERGE_PATCH: &str = "application/merge-patch+json";

/// `method url` with a bearer key when given, extra headers, and `body` sent as `content_type`.
pub async fn write(
    c: &Client,
    (method, url): (&Method, &str),
    key: Option<&str>,
    headers: &[(&str, &str)],
    (content_type, body): (&str, String),
) -> Response {
    let mut r = c
        .request(method.clone(), url)
        .header("content-type", content_type);
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    for (name, value) in headers {
        r = r.header(*name, *value);
    }
    r.body(body).send().await.expect("request")
}

/// An answer that must have status `want` and a `description` containing `says` (both
/// assertions show the body).
pub fn assert_says(status: u16, body: &serde_json::Value, want: u16, says: &str) {
    assert_eq!(status, want, "{body}");
    let description = body["description"].as_str().unwrap_or_default();
    assert!(description.contains(says), "wanted {says:?}: {body}");
}

/// The client of the test servers. It forgets an idle connection after 5 s, before the server's
/// header read timeout (10 s by default, see `ConnLimits`) closes it: reusing a connection the
/// server is closing at that moment fails the request (`IncompleteMessage`), which loaded runs
/// met between steps of a test more than 10 s apart.
pub fn client() -> Client {
    Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(5))
        .build()
        .expect("an HTTP client")
}

/// The body of `GET url` as text (any status: the caller asserts on the text).
pub async fn get_text(url: impl reqwest::IntoUrl) -> String {
    let r = reqwest::get(url).await.expect("GET");
    r.text().await.expect("a text body")
}

/// The body of `GET url` as JSON (any status).
pub async fn get_json(url: impl reqwest::IntoUrl) -> serde_json::Value {
    let r = reqwest::get(url).await.expect("GET");
    r.json().await.expect("a JSON body")
}
