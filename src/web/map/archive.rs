//! The local PMTiles basemap file (`--basemap-pmtiles`, docs/basemap.md) at
//! `/map/basemap.pmtiles`, with HTTP Range: the viewer's `pmtiles` protocol reads the header,
//! the directories and each tile as byte ranges. One range per request (`bytes=a-b`, `bytes=a-`,
//! `bytes=-n`) → 206 with `Content-Range`; a range that is malformed, multiple or starts past the
//! end → 416 with `Content-Range: bytes */LENGTH` and what to send instead; no `Range` → 200.
use std::{io::SeekFrom, ops::Range, sync::Arc};

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::{config::Settings, error::AppError};

pub async fn serve(
    State(settings): State<Arc<Settings>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(path) = settings.basemap_archive.as_ref() else {
        return Err(AppError::not_found(
            "no PMTiles basemap is configured on this server (MOKHATTAT_BASEMAP_PMTILES)",
        ));
    };
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| AppError::internal("opening the PMTiles basemap", e))?;
    let len = file
        .metadata()
        .await
        .map_err(|e| AppError::internal("reading the PMTiles basemap", e))?
        .len();
    let range = match headers.get(header::RANGE) {
        None => None,
        Some(v) => match v.to_str().ok().and_then(|v| parse_range(v, len)) {
            Some(r) => Some(r),
            None => return Ok(unsatisfiable(len)),
        },
    };
    let (status, span) = match range {
        Some(r) => (StatusCode::PARTIAL_CONTENT, r),
        None => (StatusCode::OK, 0..len),
    };
    file.seek(SeekFrom::Start(span.start))
        .await
        .map_err(|e| AppError::internal("reading the PMTiles basemap", e))?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(
        file.take(span.end - span.start),
    ));
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.pmtiles"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, (span.end - span.start).into());
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    if status == StatusCode::PARTIAL_CONTENT {
        let cr = format!("bytes {}-{}/{len}", span.start, span.end - 1);
        h.insert(header::CONTENT_RANGE, HeaderValue::from_str(&cr).unwrap());
    }
    Ok(resp)
}

fn unsatisfiable(len: u64) -> Response {
    (
        StatusCode::RANGE_NOT_SATISFIABLE,
        [
            (header::CONTENT_RANGE, format!("bytes */{len}")),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".into()),
        ],
        format!(
            "Range must be one byte range inside the file's {len} bytes: bytes=START-END, \
             bytes=START- or bytes=-SUFFIX_LENGTH"
        ),
    )
        .into_response()
}

/// The bytes `value` (a `Range` header) asks of a file of `len` bytes; None when unsatisfiable.
fn parse_range(value: &str, len: u64) -> Option<Range<u64>> {
    let spec = value.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let num = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (start, end) = match (a.trim().is_empty(), b.trim().is_empty()) {
        (true, false) => {
            let n = num(b)?.min(len);
            (len - n, len)
        }
        (false, true) => (num(a)?, len),
        (false, false) => {
            let (s, e) = (num(a)?, num(b)?);
            if e < s {
                return None;
            }
            (s, e.saturating_add(1).min(len))
        }
        (true, true) => return None,
    };
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-126", 1000), Some(0..127));
        assert_eq!(parse_range("bytes=990-", 1000), Some(990..1000));
        assert_eq!(parse_range("bytes=-10", 1000), Some(990..1000));
        assert_eq!(parse_range("bytes=900-5000", 1000), Some(900..1000));
        assert_eq!(parse_range("bytes=1000-", 1000), None);
        assert_eq!(parse_range("bytes=5-2", 1000), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), None);
        assert_eq!(parse_range("items=0-1", 1000), None);
        assert_eq!(parse_range("bytes=-0", 1000), None);
        assert_eq!(parse_range("bytes=+1-2", 1000), None);
    }
}
