//! The key itself: generation, shape, hashing and constant-time comparison.
//!
//! A key is `mk_<prefix>_<secret>`: an 8-character public prefix (lowercase letters and digits, shown
//! in listings and used to revoke) and a 43-character base62 secret (256 bits from the OS random
//! source). Only the SHA-256 (hex) of the whole key is stored; the key is shown once, at creation.
use rand::{distributions::Alphanumeric, rngs::OsRng, Rng};
use sha2::{Digest, Sha256};

pub const KEY_TAG: &str = "mk_";
pub const PREFIX_LEN: usize = 8;
pub const SECRET_LEN: usize = 43;
pub const KEY_LEN: usize = KEY_TAG.len() + PREFIX_LEN + 1 + SECRET_LEN;

/// A freshly generated key: the whole key (to show once) and its public prefix.
pub struct NewSecret {
    pub key: String,
    pub prefix: String,
}

/// Generate a new key from the operating system's random source.
pub fn generate() -> NewSecret {
    const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = OsRng;
    let prefix: String = (0..PREFIX_LEN)
        .map(|_| LOWER[rng.gen_range(0..LOWER.len())] as char)
        .collect();
    let secret: String = (&mut rng)
        .sample_iter(&Alphanumeric)
        .take(SECRET_LEN)
        .map(char::from)
        .collect();
    NewSecret {
        key: format!("{KEY_TAG}{prefix}_{secret}"),
        prefix,
    }
}

/// The prefix of a well-formed key, or `None` when the text cannot be a Mokhattat key.
pub fn prefix_of(key: &str) -> Option<&str> {
    if !key.is_ascii() {
        return None;
    }
    let rest = key.strip_prefix(KEY_TAG)?;
    if key.len() != KEY_LEN || rest.as_bytes().get(PREFIX_LEN) != Some(&b'_') {
        return None;
    }
    let (prefix, secret) = (&rest[..PREFIX_LEN], &rest[PREFIX_LEN + 1..]);
    let ok = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
    (ok(prefix) && ok(secret)).then_some(prefix)
}

/// Hex SHA-256 of the whole key, as stored in `api_key.secret_sha256`.
pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Compare two hashes in time that does not depend on where they differ.
pub fn same_hash(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_the_documented_shape() {
        let a = generate();
        let b = generate();
        assert_ne!(a.key, b.key);
        assert_eq!(a.key.len(), KEY_LEN);
        assert_eq!(prefix_of(&a.key), Some(a.prefix.as_str()));
        assert!(a
            .prefix
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    }

    #[test]
    fn malformed_keys_are_refused() {
        let k = generate().key;
        assert_eq!(prefix_of(&k[..KEY_LEN - 1]), None);
        assert_eq!(prefix_of(&format!("{k}x")), None);
        assert_eq!(prefix_of(&k.replacen("mk_", "xx_", 1)), None);
        assert_eq!(prefix_of(&format!("{}-{}", &k[..11], &k[12..])), None);
        assert_eq!(prefix_of(&format!("{}é", &k[..KEY_LEN - 2])), None);
        assert_eq!(prefix_of(""), None);
    }

    #[test]
    fn hashes_compare() {
        let k = generate().key;
        let h = hash(&k);
        assert_eq!(h.len(), 64);
        assert!(same_hash(&h, &hash(&k)));
        assert!(!same_hash(&h, &hash(&generate().key)));
        assert!(!same_hash(&h, &h[1..]));
    }
}
