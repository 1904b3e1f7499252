//! `as_of=`: the instant an answer is asked for — the one definition lives in [`crate::asof`].
pub use crate::asof::{parse, today, tunisia};
