//! Which projects a tile may carry, from the caller's read scope ([`crate::auth::Visibility`]).
//!
//! The rule is `auth::visibility` (SQL `mk_project_visible`, docs/visibility.md); this type adds
//! the cache-key role: tiles for different scopes are cached apart.
use sqlx::{Postgres, QueryBuilder};

use crate::auth::{visibility, Visibility};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TileScope(pub Visibility);

impl TileScope {
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn is_anonymous(&self) -> bool {
        !self.0.all && self.0.partner.is_none() && self.0.municipalities.is_empty()
    }

    /// Cache-key part: empty for anonymous.
    pub fn key(&self) -> String {
        if self.is_anonymous() {
            return String::new();
        }
        let mut m = self.0.municipalities.clone();
        m.sort();
        serde_json::json!({"all": self.0.all, "partner": self.0.partner, "m": m}).to_string()
    }

    /// Push the condition "the project aliased `p` may be seen": the one rule of
    /// [`crate::auth::visibility`].
    pub fn push_visibility(&self, qb: &mut QueryBuilder<'_, Postgres>) {
        visibility::push_project_visible(qb, "p", &self.0);
    }
}
