//! Which projects a tile may carry, from the caller's read scope ([`crate::auth::Visibility`]).
//!
//! Anonymous callers see public projects only; admins everything; partners also their own
//! projects; planners also the projects with a location in one of their municipalities (current
//! boundaries) — the rule of `auth::caller`. Tiles for different scopes are cached apart.
use sqlx::{Postgres, QueryBuilder};

use crate::auth::Visibility;

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

    /// Push the condition "the project aliased `p` may be seen".
    pub fn push_visibility(&self, qb: &mut QueryBuilder<'_, Postgres>) {
        let v = &self.0;
        if v.all {
            qb.push("TRUE");
            return;
        }
        qb.push("(p.is_public");
        if let Some(partner) = &v.partner {
            qb.push(" OR p.partner = ").push_bind(partner.clone());
        }
        if !v.municipalities.is_empty() {
            qb.push(
                " OR EXISTS (SELECT 1 FROM project_location sl JOIN admin_unit sm \
                 ON sm.level = 'municipality' AND sm.valid_to IS NULL \
                 AND ST_Intersects(sm.geom, sl.geom) WHERE sl.project_id = p.id AND sm.code = ANY(",
            )
            .push_bind(v.municipalities.clone())
            .push("))");
        }
        qb.push(")");
    }
}
