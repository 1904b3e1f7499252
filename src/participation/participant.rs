//! Who an anonymous participant is: a random token the client keeps (the `mk_participant` cookie,
//! or the `X-Participant` header for scripts). The server never stores the token, only its
//! SHA-256; a request without one gets a new token (in `Set-Cookie` and in the body). One support
//! and one report per proposal and participant are enforced on that hash. Edit tokens (given to
//! the author at submission) follow the same pattern.
use axum::http::{header, HeaderMap, HeaderValue};
use rand::{distributions::Alphanumeric, rngs::OsRng, Rng};
use sha2::{Digest, Sha256};

use crate::error::AppError;

pub const COOKIE: &str = "mk_participant";
pub const HEADER: &str = "x-participant";
pub const EDIT_HEADER: &str = "x-edit-token";

pub struct Participant {
    pub hash: String,
    /// Set when the token was issued by this request: the client must keep it.
    pub issued: Option<String>,
}

impl Participant {
    /// `Set-Cookie` for a newly issued token.
    pub fn cookie(&self) -> Option<HeaderValue> {
        let t = self.issued.as_ref()?;
        HeaderValue::from_str(&format!(
            "{COOKIE}={t}; Path=/api/participation; Max-Age=31536000; HttpOnly; SameSite=Lax"
        ))
        .ok()
    }
}

pub fn new_token() -> String {
    OsRng
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

pub fn sha256(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn valid(t: &str) -> bool {
    (16..=128).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The participant of a request: its token (header first, then cookie), or a new one.
pub fn participant(headers: &HeaderMap) -> Result<Participant, AppError> {
    let given = headers
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_string).unwrap_or_default())
        .or_else(|| cookie_value(headers));
    match given {
        Some(t) if valid(&t) => Ok(Participant {
            hash: sha256(&t),
            issued: None,
        }),
        Some(_) => Err(AppError::bad_request(
            "the participant token (X-Participant header or mk_participant cookie) must be 16 to 128 letters, digits, - or _; omit it to get a new one",
        )),
        None => {
            let t = new_token();
            Ok(Participant {
                hash: sha256(&t),
                issued: Some(t),
            })
        }
    }
}

/// The edit token of an author (`X-Edit-Token`), hashed; 403 when missing.
pub fn edit_token(headers: &HeaderMap) -> Result<String, AppError> {
    match headers.get(EDIT_HEADER).and_then(|v| v.to_str().ok()) {
        Some(t) if valid(t) => Ok(sha256(t)),
        _ => Err(AppError::Forbidden(
            "send the edit token given at submission in the X-Edit-Token header / أرسل رمز التعديل"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let mut h = HeaderMap::new();
        assert!(participant(&h).unwrap().issued.is_some());
        h.insert(
            header::COOKIE,
            "a=b; mk_participant=abcdefghijklmnop1".parse().unwrap(),
        );
        let p = participant(&h).unwrap();
        assert!(p.issued.is_none());
        assert_eq!(p.hash, sha256("abcdefghijklmnop1"));
        h.insert(HEADER, "short".parse().unwrap());
        assert!(participant(&h).is_err());
        assert!(edit_token(&HeaderMap::new()).is_err());
    }
}
