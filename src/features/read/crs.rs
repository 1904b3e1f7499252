//! Coordinate reference systems offered through Part 2 (`crs`, `bbox-crs`, `filter-crs`,
//! `Content-Crs`). Transformations are done by PostGIS; this module only names them.

/// A supported CRS.
#[derive(Debug, PartialEq, Eq)]
pub struct Crs {
    pub uri: &'static str,
    pub srid: i32,
    /// Authority axis order is latitude first (EPSG:4326): coordinates are flipped on the way
    /// in and out, PostGIS keeping longitude/latitude.
    pub lat_first: bool,
    /// Angular units: GeoJSON coordinates get 7 decimals instead of 3.
    pub geographic: bool,
    pub title: &'static str,
}

pub const CRS84_URI: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

pub static SUPPORTED: &[Crs] = &[
    Crs {
        uri: CRS84_URI,
        srid: 4326,
        lat_first: false,
        geographic: true,
        title: "WGS 84 (longitude, latitude)",
    },
    Crs {
        uri: "http://www.opengis.net/def/crs/EPSG/0/4326",
        srid: 4326,
        lat_first: true,
        geographic: true,
        title: "WGS 84 (latitude, longitude)",
    },
    Crs {
        uri: "http://www.opengis.net/def/crs/EPSG/0/3857",
        srid: 3857,
        lat_first: false,
        geographic: false,
        title: "WGS 84 / Pseudo-Mercator",
    },
    Crs {
        uri: "http://www.opengis.net/def/crs/EPSG/0/22391",
        srid: 22391,
        lat_first: false,
        geographic: false,
        title: "Carthage / Nord Tunisie",
    },
    Crs {
        uri: "http://www.opengis.net/def/crs/EPSG/0/22392",
        srid: 22392,
        lat_first: false,
        geographic: false,
        title: "Carthage / Sud Tunisie",
    },
    Crs {
        uri: "http://www.opengis.net/def/crs/EPSG/0/22332",
        srid: 22332,
        lat_first: false,
        geographic: false,
        title: "Carthage / UTM zone 32N",
    },
    Crs {
        uri: "http://www.opengis.net/def/crs/EPSG/0/32632",
        srid: 32632,
        lat_first: false,
        geographic: false,
        title: "WGS 84 / UTM zone 32N",
    },
];

pub fn crs84() -> &'static Crs {
    &SUPPORTED[0]
}

pub fn uris() -> Vec<&'static str> {
    SUPPORTED.iter().map(|c| c.uri).collect()
}

/// Parse a CRS given as an OGC URI (the standard form), a safe CURIE `[EPSG:22391]`, `EPSG:22391`
/// or a URN. `None` when it is not one we offer.
pub fn parse(s: &str) -> Option<&'static Crs> {
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    let s = s
        .strip_prefix("https://")
        .map(|r| format!("http://{r}"))
        .unwrap_or_else(|| s.to_string());
    if let Some(c) = SUPPORTED.iter().find(|c| c.uri == s) {
        return Some(c);
    }
    let upper = s.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "CRS84" | "OGC:CRS84" | "URN:OGC:DEF:CRS:OGC:1.3:CRS84" | "URN:OGC:DEF:CRS:OGC::CRS84"
    ) {
        return Some(crs84());
    }
    let code = upper
        .strip_prefix("EPSG:")
        .or_else(|| upper.strip_prefix("URN:OGC:DEF:CRS:EPSG::"))
        .or_else(|| upper.strip_prefix("URN:OGC:DEF:CRS:EPSG:0:"))?;
    let code: i32 = code.parse().ok()?;
    SUPPORTED.iter().skip(1).find(|c| c.srid == code)
}

/// The message for an unsupported CRS, listing what is offered.
pub fn unsupported(param: &str, value: &str) -> String {
    format!(
        "{param}={value} is not a CRS this server offers; use one of: {}",
        uris().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        assert_eq!(parse(CRS84_URI).unwrap().srid, 4326);
        assert!(!parse(CRS84_URI).unwrap().lat_first);
        assert!(
            parse("http://www.opengis.net/def/crs/EPSG/0/4326")
                .unwrap()
                .lat_first
        );
        assert_eq!(parse("[EPSG:22391]").unwrap().srid, 22391);
        assert_eq!(parse("EPSG:32632").unwrap().srid, 32632);
        assert_eq!(parse("urn:ogc:def:crs:EPSG::3857").unwrap().srid, 3857);
        assert!(parse("http://www.opengis.net/def/crs/EPSG/0/2154").is_none());
        assert!(parse("22391").is_none());
    }
}
