//! The tile sources: a static allow-list. Every identifier and SQL expression a tile query uses
//! comes from here, never from a request.
use super::cluster::Cluster;
use crate::{
    cql::{QType, Queryables},
    layers::{self, Layer, TileSpec},
};

/// Highest zoom announced to clients (they overzoom beyond it); tiles are still served up to
/// [`MAX_SERVED_ZOOM`].
pub const MAX_ZOOM: u8 = 14;
pub const MAX_SERVED_ZOOM: u8 = 22;
/// Generalisation bands (see migrations/0002_tiles.sql): zooms below use the first band, zooms
/// above the last use exact geometry.
pub const FIRST_BAND: u8 = 5;
pub const LAST_BAND: u8 = 11;
/// Extent of tiles read from a generalised band (one unit = one CSS pixel of a 512-pixel tile).
pub const BAND_EXTENT: u32 = 512;
/// Extent of tiles read from exact geometry.
pub const EXACT_EXTENT: u32 = 4096;

/// Project locations below zoom 14: a 32-pixel cell of more than 32 locations is one point
/// (`locations`); on the sample, only a few cells at zoom 5 (docs/scale.md). Drawn by
/// [`super::cells`], from stored cells for anonymous unfiltered tiles.
const PROJECTS_CLUSTER: Cluster = Cluster {
    below: 14,
    max_single: 32,
    keys: &[],
    sums: &[],
    count: "locations",
};

/// Proposals below zoom 11: every cell's proposals of one commune, zone, state and theme are one
/// point (`proposals`, summed `supports`), an id and a title only when alone.
const PROPOSALS_CLUSTER: Cluster = Cluster {
    below: layers::participation::CLUSTER_BELOW,
    max_single: 1,
    keys: &["municipality_code", "zone_code", "state", "theme"],
    sums: &["supports"],
    count: "proposals",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    Municipalities,
    Delegations,
    Governorates,
    Landuse,
    Projects,
    Facilities,
    Indicators,
    Proposals,
}

/// A field of a tile layer, derived from the layer registry ([`crate::layers`]).
pub struct Field {
    pub name: &'static str,
    pub sql: String,
    pub ty: QType,
    pub doc: &'static str,
}

impl Source {
    pub const ALL: [Source; 8] = [
        Source::Municipalities,
        Source::Delegations,
        Source::Governorates,
        Source::Landuse,
        Source::Projects,
        Source::Facilities,
        Source::Indicators,
        Source::Proposals,
    ];

    /// The registry entry this source publishes.
    pub fn layer(self) -> &'static Layer {
        match self {
            Source::Municipalities => &layers::units::MUNICIPALITIES,
            Source::Delegations => &layers::units::DELEGATIONS,
            Source::Governorates => &layers::units::GOVERNORATES,
            Source::Landuse => &layers::landuse::LANDUSE,
            Source::Projects => &layers::projects::PROJECT_LOCATIONS,
            Source::Facilities => &layers::facilities::FACILITIES,
            Source::Indicators => &layers::indicators::MUNICIPALITIES,
            Source::Proposals => &layers::participation::PROPOSALS,
        }
    }

    fn spec(self) -> &'static TileSpec {
        const NONE: TileSpec = TileSpec {
            id: "",
            description: "",
            minzoom: 0,
            extra: &[],
        };
        // every layer of `layer()` has tiles (unit test below)
        self.layer().tiles.as_ref().unwrap_or(&NONE)
    }

    pub fn id(self) -> &'static str {
        self.spec().id
    }

    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.id() == s)
    }

    /// Bit of this source in a set of sources.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// This source alone as a layer order ([`Source::order_of`]).
    pub fn order(self) -> u32 {
        self as u32 + 1
    }

    /// Requested sources in their order as one number (4 bits each, first source lowest; at most
    /// 8 sources without repeats, `handlers::parse_layers`): a cache-key part with no allocation.
    pub fn order_of(sources: &[Source]) -> u32 {
        sources
            .iter()
            .rev()
            .fold(0, |acc, s| (acc << 4) | s.order())
    }

    /// The sources a change of this one changes: the indicators layer draws the municipalities, so
    /// their changes are its changes.
    pub fn changed_with(self) -> u8 {
        match self {
            Source::Municipalities => self.bit() | Source::Indicators.bit(),
            _ => self.bit(),
        }
    }

    pub fn title(self) -> (&'static str, &'static str) {
        (self.layer().title_fr, self.layer().title_ar)
    }

    pub fn description(self) -> &'static str {
        self.spec().description
    }

    pub fn minzoom(self) -> u8 {
        self.spec().minzoom
    }

    pub fn fields(self) -> Vec<Field> {
        self.layer()
            .tile_props()
            .map(|(name, p)| Field {
                name,
                sql: p.tile_sql(),
                ty: p.ty.qtype(),
                doc: p.title,
            })
            .collect()
    }

    /// How the source is thinned where dense at low zooms ([`Cluster`]), if it is.
    pub fn cluster(self) -> Option<&'static Cluster> {
        match self {
            Source::Projects => Some(&PROJECTS_CLUSTER),
            Source::Proposals => Some(&PROPOSALS_CLUSTER),
            _ => None,
        }
    }

    /// The admin level of a boundary source.
    pub fn level(self) -> Option<&'static str> {
        match self {
            Source::Municipalities | Source::Indicators => Some("municipality"),
            Source::Delegations => Some("delegation"),
            Source::Governorates => Some("governorate"),
            _ => None,
        }
    }

    /// What a CQL2 `filter` may name on this layer: its attributes (and nothing else).
    pub fn queryables(self) -> Queryables {
        let mut q = Queryables::new();
        for fl in self.fields() {
            q.insert(fl.name, fl.sql, fl.ty);
        }
        q
    }
}

/// Generalisation band of a zoom, or None for exact geometry.
pub fn band(z: u8) -> Option<u8> {
    if z > LAST_BAND {
        None
    } else {
        Some(z.max(FIRST_BAND))
    }
}

pub fn extent(z: u8) -> u32 {
    if band(z).is_some() {
        BAND_EXTENT
    } else {
        EXACT_EXTENT
    }
}

/// Buffer around tiles, in tile units (1/64 of the tile, as is customary).
pub fn buffer(z: u8) -> u32 {
    extent(z) / 64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_reads_a_tiled_layer() {
        for s in Source::ALL {
            let spec = s.layer().tiles.as_ref().expect("a tiled layer");
            assert_eq!(Source::parse(spec.id), Some(s));
            assert!(!s.fields().is_empty());
        }
    }
}
