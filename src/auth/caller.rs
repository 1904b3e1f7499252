//! Who is calling, and what they may do. Pure logic; the extractor lives in `extract.rs`.
//!
//! Rules (the whole permission model, in one place):
//! - **anonymous** (no key): reads public data only; never writes.
//! - **admin**: everything, including key administration and non-public projects.
//! - **planner**: scoped to official municipality codes. May edit a project that touches at least
//!   one of its municipalities, may place project locations only inside its municipalities, and sees
//!   the non-public projects assigned to one of its municipalities.
//! - **partner**: scoped to one partner name. May edit (and see, when non-public) exactly the
//!   projects whose `project.partner` equals it; may create projects only for itself.
use serde::{Deserialize, Serialize};

use super::error::AuthError;

/// The role stored with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum KeyRole {
    Admin,
    Planner,
    Partner,
}

impl KeyRole {
    pub const ALL: [KeyRole; 3] = [KeyRole::Admin, KeyRole::Planner, KeyRole::Partner];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Admin => "admin",
            KeyRole::Planner => "planner",
            KeyRole::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Result<Self, AuthError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                AuthError::Invalid(format!(
                    "unknown role '{s}': a key's role is one of admin, planner, partner"
                ))
            })
    }
}

/// The caller of a request, as the [`Caller`] extractor resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    Admin {
        key_id: i64,
        prefix: String,
        name: String,
    },
    Planner {
        key_id: i64,
        prefix: String,
        name: String,
        municipalities: Vec<String>,
    },
    Partner {
        key_id: i64,
        prefix: String,
        name: String,
        partner: String,
    },
}

/// What a caller may read among non-public projects, as values to bind in SQL: the scope arguments
/// of `mk_project_visible` (see [`super::visibility`]), in this order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Visibility {
    pub all: bool,
    pub partner: Option<String>,
    pub municipalities: Vec<String>,
}

impl Caller {
    /// `anonymous`, `admin`, `planner` or `partner`.
    pub fn role_name(&self) -> &'static str {
        match self {
            Caller::Anonymous => "anonymous",
            Caller::Admin { .. } => KeyRole::Admin.as_str(),
            Caller::Planner { .. } => KeyRole::Planner.as_str(),
            Caller::Partner { .. } => KeyRole::Partner.as_str(),
        }
    }

    pub fn role(&self) -> Option<KeyRole> {
        match self {
            Caller::Anonymous => None,
            Caller::Admin { .. } => Some(KeyRole::Admin),
            Caller::Planner { .. } => Some(KeyRole::Planner),
            Caller::Partner { .. } => Some(KeyRole::Partner),
        }
    }

    pub fn is_anonymous(&self) -> bool {
        matches!(self, Caller::Anonymous)
    }

    /// The key's id, prefix and name; None for anonymous callers (the one match the three
    /// accessors below share).
    fn key(&self) -> Option<(i64, &str, &str)> {
        match self {
            Caller::Anonymous => None,
            Caller::Admin {
                key_id,
                prefix,
                name,
            }
            | Caller::Planner {
                key_id,
                prefix,
                name,
                ..
            }
            | Caller::Partner {
                key_id,
                prefix,
                name,
                ..
            } => Some((*key_id, prefix, name)),
        }
    }

    pub fn key_id(&self) -> Option<i64> {
        self.key().map(|(id, _, _)| id)
    }

    pub fn prefix(&self) -> Option<&str> {
        self.key().map(|(_, prefix, _)| prefix)
    }

    pub fn name(&self) -> Option<&str> {
        self.key().map(|(_, _, name)| name)
    }

    /// The author recorded in histories (e.g. `project_event.author`): `key:<prefix> (<name>)`.
    pub fn author(&self) -> String {
        match (self.prefix(), self.name()) {
            (Some(p), Some(n)) => format!("key:{p} ({n})"),
            _ => "anonymous".to_string(),
        }
    }

    /// 401 for anonymous callers.
    pub fn require_key(&self) -> Result<(), AuthError> {
        if self.is_anonymous() {
            Err(AuthError::MissingKey)
        } else {
            Ok(())
        }
    }

    /// 401 for anonymous callers, 403 for keys of another role.
    pub fn require_role(&self, roles: &[KeyRole]) -> Result<(), AuthError> {
        self.require_key()?;
        match self.role() {
            Some(r) if roles.contains(&r) => Ok(()),
            _ => Err(AuthError::Forbidden(format!(
                "this API key has the role {} and may not do this; it needs a key with the role {}",
                self.role_name(),
                roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))),
        }
    }

    /// 401 for anonymous callers, 403 for planner and partner keys.
    pub fn require_admin(&self) -> Result<(), AuthError> {
        self.require_role(&[KeyRole::Admin])
    }

    /// May this caller write data of the municipality `code` (e.g. place a project location there)?
    pub fn can_edit_municipality(&self, code: &str) -> bool {
        match self {
            Caller::Admin { .. } => true,
            Caller::Planner { municipalities, .. } => municipalities.iter().any(|m| m == code),
            Caller::Partner { .. } | Caller::Anonymous => false,
        }
    }

    /// [`Self::can_edit_municipality`] as a 401/403 with a message naming the scope.
    pub fn require_edit_municipality(&self, code: &str) -> Result<(), AuthError> {
        self.require_key()?;
        if self.can_edit_municipality(code) {
            return Ok(());
        }
        Err(AuthError::Forbidden(match self {
            Caller::Planner { municipalities, .. } => format!(
                "this planner key may write only in the municipalities {}; {code} is not one of them",
                municipalities.join(", ")
            ),
            _ => format!(
                "this {} key may not write data of municipality {code}",
                self.role_name()
            ),
        }))
    }

    /// May this caller edit a project owned by `partner` and touching `municipalities`?
    pub fn can_edit_project<S: AsRef<str>>(
        &self,
        partner: Option<&str>,
        municipalities: &[S],
    ) -> bool {
        match self {
            Caller::Admin { .. } => true,
            // every municipality the project lies in (see mk_project_municipalities,
            // migration 0013: at least 1 % of a location; '' for a part in none) is the key's
            Caller::Planner { .. } => {
                !municipalities.is_empty()
                    && municipalities
                        .iter()
                        .all(|m| self.can_edit_municipality(m.as_ref()))
            }
            Caller::Partner { partner: own, .. } => partner == Some(own.as_str()),
            Caller::Anonymous => false,
        }
    }

    /// [`Self::can_edit_project`] as a 401/403 with a message that says why.
    pub fn require_edit_project<S: AsRef<str>>(
        &self,
        project_code: &str,
        partner: Option<&str>,
        municipalities: &[S],
    ) -> Result<(), AuthError> {
        self.require_key()?;
        if self.can_edit_project(partner, municipalities) {
            return Ok(());
        }
        Err(AuthError::Forbidden(match self {
            Caller::Planner {
                municipalities: own,
                ..
            } => format!(
                "project {project_code} is not in this planner key's municipalities ({})",
                own.join(", ")
            ),
            Caller::Partner { partner: own, .. } => {
                format!("project {project_code} does not belong to the partner '{own}' of this key")
            }
            _ => format!("this key may not edit project {project_code}"),
        }))
    }

    /// The caller's read scope as values for an SQL filter (see [`Visibility`]), the one
    /// mapping from a role to what it may read: everything (admin), the projects assigned to its
    /// municipalities (planner), its own projects (partner), else what is public.
    pub fn visibility(&self) -> Visibility {
        match self {
            Caller::Anonymous => Visibility::default(),
            Caller::Admin { .. } => Visibility {
                all: true,
                ..Visibility::default()
            },
            Caller::Planner { municipalities, .. } => Visibility {
                municipalities: municipalities.clone(),
                ..Visibility::default()
            },
            Caller::Partner { partner, .. } => Visibility {
                partner: Some(partner.clone()),
                ..Visibility::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planner() -> Caller {
        Caller::Planner {
            key_id: 2,
            prefix: "bbbbbbbb".into(),
            name: "Tunis planning".into(),
            municipalities: vec!["1111".into(), "1116".into()],
        }
    }

    fn partner() -> Caller {
        Caller::Partner {
            key_id: 3,
            prefix: "cccccccc".into(),
            name: "WB".into(),
            partner: "World Bank".into(),
        }
    }

    fn admin() -> Caller {
        Caller::Admin {
            key_id: 1,
            prefix: "aaaaaaaa".into(),
            name: "ops".into(),
        }
    }

    const NONE: [&str; 0] = [];

    #[test]
    fn roles_and_requirements() {
        assert!(matches!(
            Caller::Anonymous.require_admin(),
            Err(AuthError::MissingKey)
        ));
        assert!(matches!(
            planner().require_admin(),
            Err(AuthError::Forbidden(_))
        ));
        assert!(admin().require_admin().is_ok());
        assert!(partner()
            .require_role(&[KeyRole::Planner, KeyRole::Partner])
            .is_ok());
        assert_eq!(Caller::Anonymous.role_name(), "anonymous");
        assert_eq!(planner().author(), "key:bbbbbbbb (Tunis planning)");
        assert_eq!(KeyRole::parse(" partner ").unwrap(), KeyRole::Partner);
        assert!(KeyRole::parse("root").is_err());
    }

    #[test]
    fn planner_scope() {
        let p = planner();
        assert!(p.can_edit_municipality("1116"));
        assert!(!p.can_edit_municipality("2111"));
        assert!(!p.can_edit_project(None, &["2111", "1111"]));
        assert!(p.can_edit_project(None, &["1116", "1111"]));
        assert!(!p.can_edit_project(Some("World Bank"), &["2111"]));
        assert!(!p.can_edit_project(None, &NONE));
        let e = p.require_edit_municipality("2111").unwrap_err().to_string();
        assert!(e.contains("1111, 1116") && e.contains("2111"), "{e}");
        assert_eq!(p.visibility().municipalities, vec!["1111", "1116"]);
    }

    #[test]
    fn partner_scope() {
        let p = partner();
        assert!(p.can_edit_project(Some("World Bank"), &NONE));
        assert!(!p.can_edit_project(Some("GIZ"), &["1111"]));
        assert!(!p.can_edit_project(None, &["1111"]));
        assert!(!p.can_edit_municipality("1111"));
        assert!(p.require_edit_project("P1", Some("GIZ"), &NONE).is_err());
        assert_eq!(p.visibility().partner.as_deref(), Some("World Bank"));
    }

    #[test]
    fn admin_and_anonymous_scope() {
        assert!(admin().can_edit_project(None, &NONE));
        assert!(admin().can_edit_municipality("9999"));
        assert!(admin().visibility().all);
        let a = Caller::Anonymous;
        assert!(!a.can_edit_project(None, &["1111"]));
        assert!(matches!(
            a.require_edit_project("P1", None, &NONE),
            Err(AuthError::MissingKey)
        ));
        assert_eq!(a.visibility(), Visibility::default());
    }
}
