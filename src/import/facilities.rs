//! Facilities (schools, health, administration, post, police…), one point each, by source id.
use super::{keyed::Keyed, stage::Want, Candidate};

use crate::layers::facilities::KINDS;

pub(super) const TARGET: Keyed = Keyed {
    key: ("id", "missing id: every facility needs a stable source id, e.g. osm:node/123 (map it with --field id=FIELD)"),
    what: "id",
    want: Want::Point,
    writing: "writing facilities",
    sql: include_str!("sql/facilities.sql"),
    check: kind,
};

fn kind(c: &Candidate) -> Option<String> {
    match c.str("kind") {
        Some(k) if KINDS.contains(&k) => None,
        Some(k) => Some(format!("kind {k:?} is not one of {}", KINDS.join(", "))),
        None => Some(format!("missing kind (one of {})", KINDS.join(", "))),
    }
}
