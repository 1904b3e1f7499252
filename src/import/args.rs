//! The `mokhattat import` command line. The sample manifest uses exactly the same arguments.
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

/// What a file is imported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    Governorates,
    Delegations,
    Sectors,
    Municipalities,
    Landuse,
    Projects,
    Facilities,
    /// Participation zones of one commune (`--municipality CODE`).
    Zones,
    /// IATI 2.0x activity XML (read by `iati`, not GDAL; `--default partner=SLUG`, `--dry-run`).
    Iati,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Governorates => "governorates",
            Target::Delegations => "delegations",
            Target::Sectors => "sectors",
            Target::Municipalities => "municipalities",
            Target::Landuse => "landuse",
            Target::Projects => "projects",
            Target::Facilities => "facilities",
            Target::Zones => "zones",
            Target::Iati => "iati",
        }
    }

    /// The `admin_level` of unit targets.
    pub fn level(self) -> Option<&'static str> {
        match self {
            Target::Governorates => Some("governorate"),
            Target::Delegations => Some("delegation"),
            Target::Sectors => Some("sector"),
            Target::Municipalities => Some("municipality"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LanduseKind {
    #[value(name = "zoning_plan", alias = "zoning-plan")]
    ZoningPlan,
    Constraint,
    Perimeter,
}

impl LanduseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LanduseKind::ZoningPlan => "zoning_plan",
            LanduseKind::Constraint => "constraint",
            LanduseKind::Perimeter => "perimeter",
        }
    }
}

/// Import a GIS file (anything GDAL reads) into Mokhattat, in one transaction.
///
/// Fields are matched by their canonical names (see the README); `--field` maps a differently
/// named field of the file onto a canonical one, `--default` gives a value to features that have
/// none. Fields that are not mapped are kept in the row's `attrs`. Re-running the same file
/// changes nothing; units missing from the file are left as they are.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// File or data source to read (GeoJSON, Shapefile, GeoPackage, FlatGeobuf, KML, CSV…).
    pub path: PathBuf,

    /// What the file holds.
    #[arg(long = "as", value_enum, value_name = "TARGET")]
    pub target: Target,

    /// Layer to read, when the source has several (GeoPackage, KML…).
    #[arg(long)]
    pub layer: Option<String>,

    /// CRS of the coordinates, when the file declares none (or declares a wrong one), e.g. EPSG:22391.
    #[arg(long, value_name = "EPSG:n")]
    pub src_crs: Option<String>,

    /// Map a field of the file onto a canonical field: `--field code=id_mun_official`. Repeatable.
    #[arg(long = "field", value_name = "TARGET=SOURCE", value_parser = pair)]
    pub fields: Vec<(String, String)>,

    /// Value of a canonical field for features that have none: `--default population_year=2019`.
    #[arg(long = "default", value_name = "TARGET=VALUE", value_parser = pair)]
    pub defaults: Vec<(String, String)>,

    /// Only import the features matching this OGR attribute filter (SQL WHERE syntax).
    #[arg(long = "where", value_name = "FILTER")]
    pub filter: Option<String>,

    /// GDAL open option KEY=VALUE, e.g. --oo X_POSSIBLE_NAMES=easting. Repeatable.
    #[arg(long = "oo", value_name = "KEY=VALUE")]
    pub open_options: Vec<String>,

    /// Where the data comes from (stored with each row); default: the file name.
    #[arg(long)]
    pub source: Option<String>,

    /// Do everything, report, then roll back.
    #[arg(long)]
    pub dry_run: bool,

    /// Land use: the layer's identifier (stable across versions).
    #[arg(long, value_name = "SLUG")]
    pub landuse_slug: Option<String>,

    /// Land use: the layer's display name (default: the slug).
    #[arg(long, value_name = "NAME")]
    pub landuse_name: Option<String>,

    /// Land use: what kind of layer this is (default for a new layer: zoning_plan).
    #[arg(long, value_enum, value_name = "KIND")]
    pub landuse_kind: Option<LanduseKind>,

    /// Land use: official code of the municipality the layer belongs to (default municipality of its zones).
    #[arg(long, value_name = "CODE")]
    pub municipality: Option<String>,

    /// Land use: approval date of the plan; a date different from the current version's starts a new version.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub approved_on: Option<NaiveDate>,

    /// Land use: start a new version of the layer even if the approval date is unchanged.
    #[arg(long)]
    pub new_version: bool,

    /// Units: the date the boundaries became valid in the real world (a day in Tunisia; default:
    /// now). Per-feature dates (field `valid_from`, map with `--field valid_from=FIELD`) win over
    /// it. Land use: the approval date when `--approved-on` is not given. See docs/dates.md.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub valid_from: Option<NaiveDate>,

    /// Units: the first day the boundaries were no longer valid (default: still valid); per-feature
    /// field `valid_to`.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub valid_to: Option<NaiveDate>,

    /// Translate coded values of a canonical field before they are checked:
    /// `--map precision=1:exact,2:approximate,3:municipality`. Repeatable (one per field).
    #[arg(long = "map", value_name = "TARGET=FROM:TO,...", value_parser = value_map)]
    pub value_maps: Vec<(String, Vec<(String, String)>)>,

    /// Only the fields given with `--field` are read: no matching of the file's fields by name.
    #[arg(long)]
    pub no_auto_fields: bool,

    /// Format of the file's dates (chrono/strftime syntax), tried before the usual ones:
    /// `--date-format %d/%m/%Y` reads 6/12/2001 as 6 December 2001.
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<String>,

    /// Units: accept a file whose codes mostly do not match the level's current codes (a new coding).
    #[arg(long)]
    pub new_codes: bool,
}

impl ImportArgs {
    /// The land-use approval date: `--approved-on`, else `--valid-from`.
    pub fn approval(&self) -> Option<NaiveDate> {
        self.approved_on.or(self.valid_from)
    }
}

/// `TARGET=FROM:TO,FROM:TO`: a canonical field and its value translations.
fn value_map(s: &str) -> Result<(String, Vec<(String, String)>), String> {
    let (field, list) = pair(s).map_err(|_| format!("expected TARGET=FROM:TO,..., got {s:?}"))?;
    let mut out = Vec::new();
    for item in list.split(',').filter(|i| !i.trim().is_empty()) {
        match item.split_once(':') {
            Some((from, to)) if !from.trim().is_empty() => {
                out.push((from.trim().to_string(), to.trim().to_string()))
            }
            _ => return Err(format!("--map {s:?}: {item:?} is not FROM:TO")),
        }
    }
    if out.is_empty() {
        return Err(format!("--map {s:?}: no FROM:TO pairs"));
    }
    Ok((field, out))
}

fn pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("expected TARGET=VALUE, got {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    #[command(no_binary_name = true)]
    struct T {
        #[command(flatten)]
        args: ImportArgs,
    }

    #[test]
    fn parses_the_documented_form() {
        let t = T::try_parse_from([
            "m.geojson",
            "--as",
            "municipalities",
            "--field",
            "code=id_mun_official",
            "--field",
            "name_ar = name_ar_official",
            "--default",
            "population_year=2019",
            "--src-crs",
            "EPSG:22391",
            "--approved-on",
            "2014-06-01",
            "--landuse-kind",
            "perimeter",
        ])
        .unwrap();
        assert_eq!(t.args.target, Target::Municipalities);
        assert_eq!(
            t.args.fields[1],
            ("name_ar".into(), "name_ar_official".into())
        );
        assert_eq!(t.args.defaults[0].1, "2019");
        assert_eq!(t.args.landuse_kind, Some(LanduseKind::Perimeter));
        assert!(T::try_parse_from(["x", "--as", "nope"]).is_err());
        let m = T::try_parse_from([
            "x",
            "--as",
            "projects",
            "--map",
            "precision=1:exact, 2:approximate",
        ])
        .unwrap();
        assert_eq!(m.args.value_maps[0].0, "precision");
        assert_eq!(
            m.args.value_maps[0].1[1],
            ("2".into(), "approximate".into())
        );
        assert!(T::try_parse_from(["x", "--as", "projects", "--map", "precision=1"]).is_err());
        assert!(T::try_parse_from(["x", "--as", "landuse", "--field", "novalue"]).is_err());
    }
}
