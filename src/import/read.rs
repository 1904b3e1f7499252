//! Reading any OGR source into plain Rust rows, reprojected to EPSG:4326 (longitude, latitude).
//!
//! GDAL datasets are not thread-safe: [`read`] is called inside `spawn_blocking`, opens its own
//! dataset and drops it before returning. Nothing GDAL-owned leaves this module.
use std::path::{Path, PathBuf};

use gdal::{
    spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef},
    vector::{FieldValue, LayerAccess},
    Dataset, DatasetOptions, GdalOpenFlags,
};
use indicatif::ProgressBar;
use serde_json::{Map, Number, Value};

use super::{capture::Capture, ImportError};

/// What to read and how.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub path: PathBuf,
    pub layer: Option<String>,
    pub src_crs: Option<String>,
    pub filter: Option<String>,
    pub open_options: Vec<String>,
}

/// One feature as read from the file.
#[derive(Debug, Clone)]
pub struct RawFeature {
    pub fid: Option<i64>,
    /// Non-null attributes by field name.
    pub fields: Map<String, Value>,
    /// Geometry as WKB in EPSG:4326, longitude first; `None` when the feature has none.
    pub wkb: Option<Vec<u8>>,
    /// Why the geometry could not be read or reprojected, if so.
    pub problem: Option<String>,
}

/// A whole layer of the input file, read (not to be confused with a tile source, `tiles::Source`).
#[derive(Debug)]
pub struct InputLayer {
    pub layer: String,
    pub field_names: Vec<String>,
    pub crs: String,
    pub features: Vec<RawFeature>,
    pub notes: Vec<String>,
}

/// CSV open options so that CSV files with lon/lat or WKT columns just work; `--oo` overrides them.
const CSV_DEFAULTS: &[&str] = &[
    "X_POSSIBLE_NAMES=lon*,x,longitude",
    "Y_POSSIBLE_NAMES=lat*,y,latitude",
    "GEOM_POSSIBLE_NAMES=wkt,geom",
    "KEEP_GEOM_COLUMNS=NO",
];

fn is_csv(path: &Path) -> bool {
    let s = path.to_string_lossy().to_ascii_lowercase();
    s.ends_with(".csv") || s.starts_with("csv:")
}

/// The open options passed to GDAL: CSV defaults (for CSV files) merged with the user's, by key.
pub fn open_options(path: &Path, user: &[String]) -> Vec<String> {
    let key = |s: &str| {
        s.split('=')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase()
    };
    let mut out: Vec<String> = Vec::new();
    if is_csv(path) {
        out.extend(
            CSV_DEFAULTS
                .iter()
                .filter(|d| !user.iter().any(|u| key(u) == key(d)))
                .map(|d| d.to_string()),
        );
    }
    out.extend(user.iter().cloned());
    out
}

fn wgs84() -> Result<SpatialRef, gdal::errors::GdalError> {
    let mut srs = SpatialRef::from_epsg(4326)?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

fn is_wgs84(srs: &SpatialRef) -> bool {
    srs.auth_name().as_deref() == Some("EPSG") && srs.auth_code().ok() == Some(4326)
}

fn describe(srs: &SpatialRef) -> String {
    match (srs.auth_name(), srs.auth_code()) {
        (Some(a), Ok(c)) => format!("{a}:{c}"),
        _ => srs.name().unwrap_or_else(|| "a custom CRS".into()),
    }
}

/// Read the whole layer. Blocking: call inside `spawn_blocking`.
// size: one GDAL pass over a layer (open, CRS, fields, features) inside spawn_blocking; the Dataset cannot leave it
pub fn read(opts: &ReadOptions, bar: &ProgressBar) -> Result<InputLayer, ImportError> {
    let path = &opts.path;
    let display = path.to_string_lossy();
    if !path.exists() && !display.starts_with("/vsi") && !display.contains(':') {
        return Err(ImportError::NotFound { path: path.clone() });
    }
    super::strict::check_csv(path, &opts.open_options).map_err(|reason| {
        ImportError::Malformed {
            path: path.clone(),
            reason,
        }
    })?;
    let capture = Capture::start();
    let oo = open_options(path, &opts.open_options);
    let oo_refs: Vec<&str> = oo.iter().map(String::as_str).collect();
    let dataset = Dataset::open_ex(
        path,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_VERBOSE_ERROR,
            open_options: (!oo_refs.is_empty()).then_some(oo_refs.as_slice()),
            ..Default::default()
        },
    )
    .map_err(|e| {
        let failures = capture.take_failures();
        ImportError::Open {
            path: path.clone(),
            reason: if failures.is_empty() {
                e.to_string()
            } else {
                failures.join("; ")
            },
        }
    })?;
    let names: Vec<String> = dataset.layers().map(|l| l.name()).collect();
    let mut layer = match &opts.layer {
        Some(name) => dataset
            .layer_by_name(name)
            .map_err(|_| ImportError::NoSuchLayer {
                path: path.clone(),
                layer: name.clone(),
                available: names.join(", "),
            })?,
        None if names.is_empty() => return Err(ImportError::NoLayer { path: path.clone() }),
        None if names.len() > 1 => {
            return Err(ImportError::AmbiguousLayer {
                path: path.clone(),
                count: names.len(),
                available: names.join(", "),
            })
        }
        None => dataset.layer(0).map_err(|e| ImportError::Open {
            path: path.clone(),
            reason: e.to_string(),
        })?,
    };
    let layer_name = layer.name();
    let field_names: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let mut notes = Vec::new();

    // Source CRS: --src-crs wins (the file's is then ignored), else the layer's, else lon/lat if
    // the coordinates fit, else a clear error.
    let source_srs = match &opts.src_crs {
        Some(def) => {
            let mut srs = SpatialRef::from_definition(def).map_err(|e| ImportError::BadCrs {
                crs: def.clone(),
                reason: e.to_string(),
            })?;
            srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            if layer.spatial_ref().is_some() {
                notes.push(format!(
                    "--src-crs {def} overrides the CRS declared in the file"
                ));
            }
            Some(srs)
        }
        None => match layer.spatial_ref() {
            Some(mut srs) => {
                srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
                Some(srs)
            }
            None => {
                if let Ok(env) = layer.get_extent() {
                    let lonlat = env.MinX >= -180.0
                        && env.MaxX <= 180.0
                        && env.MinY >= -90.0
                        && env.MaxY <= 90.0;
                    if !lonlat {
                        return Err(ImportError::MissingCrs {
                            path: path.clone(),
                            extent: format!(
                                "{:.3}, {:.3} – {:.3}, {:.3}",
                                env.MinX, env.MinY, env.MaxX, env.MaxY
                            ),
                        });
                    }
                    notes.push(
                        "the file declares no CRS; its coordinates are within longitude/latitude bounds, so they were read as EPSG:4326 (use --src-crs if that is wrong)"
                            .into(),
                    );
                }
                None
            }
        },
    };
    let crs = source_srs
        .as_ref()
        .map(describe)
        .unwrap_or_else(|| "EPSG:4326 (assumed)".into());
    let transform = match &source_srs {
        Some(srs) if !is_wgs84(srs) => {
            let target = wgs84().map_err(|e| ImportError::Transform {
                crs: crs.clone(),
                reason: e.to_string(),
            })?;
            Some(
                CoordTransform::new(srs, &target).map_err(|e| ImportError::Transform {
                    crs: crs.clone(),
                    reason: e.to_string(),
                })?,
            )
        }
        _ => None,
    };

    if let Some(expr) = &opts.filter {
        layer
            .set_attribute_filter(expr)
            .map_err(|e| ImportError::BadWhere {
                expr: expr.clone(),
                reason: capture
                    .take_failures()
                    .pop()
                    .unwrap_or_else(|| e.to_string()),
            })?;
    }
    let expected = layer.try_feature_count();
    if let Some(n) = expected {
        bar.set_length(n);
    }

    let mut features = Vec::with_capacity(expected.unwrap_or(0) as usize);
    for feature in layer.features() {
        let fid = feature.fid().and_then(|f| i64::try_from(f).ok());
        let mut fields = Map::new();
        for (name, value) in feature.fields() {
            if let Some(v) = value.and_then(field_json) {
                fields.insert(name, v);
            }
        }
        let (wkb, problem) = match feature.geometry() {
            Some(g) if !g.is_empty() => {
                let wkb = match &transform {
                    Some(t) => g.transform(t).and_then(|g| g.wkb()),
                    None => g.wkb(),
                };
                match wkb {
                    Ok(w) => (Some(w), None),
                    Err(e) => {
                        let detail = capture
                            .take_failures()
                            .pop()
                            .unwrap_or_else(|| e.to_string());
                        (
                            None,
                            Some(format!(
                                "geometry could not be reprojected from {crs}: {detail}"
                            )),
                        )
                    }
                }
            }
            _ => (None, None),
        };
        features.push(RawFeature {
            fid,
            fields,
            wkb,
            problem,
        });
        bar.inc(1);
    }
    let failures = capture.take_failures();
    if !failures.is_empty() {
        let mut reason = failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if failures.len() > 3 {
            reason.push_str(&format!(" (and {} more errors)", failures.len() - 3));
        }
        return Err(ImportError::Read {
            path: path.clone(),
            read: features.len(),
            reason,
        });
    }
    if let Some(n) = expected {
        if n as usize != features.len() {
            return Err(ImportError::Read {
                path: path.clone(),
                read: features.len(),
                reason: format!("the layer announces {n} features"),
            });
        }
    }
    notes.extend(
        capture
            .warnings()
            .into_iter()
            .map(|w| format!("GDAL warning: {w}")),
    );
    Ok(InputLayer {
        layer: layer_name,
        field_names,
        crs,
        features,
        notes,
    })
}

/// A GDAL field value as JSON: numbers stay numbers, dates become ISO 8601 text.
fn field_json(v: FieldValue) -> Option<Value> {
    let real = |f: f64| Number::from_f64(f).map(Value::Number);
    Some(match v {
        FieldValue::IntegerValue(i) => Value::from(i),
        FieldValue::Integer64Value(i) => Value::from(i),
        FieldValue::RealValue(f) => real(f)?,
        FieldValue::StringValue(s) => Value::String(s),
        FieldValue::DateValue(d) => Value::String(d.format("%Y-%m-%d").to_string()),
        FieldValue::DateTimeValue(d) => Value::String(d.to_rfc3339()),
        FieldValue::IntegerListValue(l) => Value::from(l),
        FieldValue::Integer64ListValue(l) => Value::from(l),
        FieldValue::RealListValue(l) => Value::Array(l.into_iter().filter_map(real).collect()),
        FieldValue::StringListValue(l) => Value::from(l),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_defaults_are_overridden_by_key() {
        let user = vec!["x_possible_names=easting".to_string()];
        let oo = open_options(Path::new("a/B.CSV"), &user);
        assert!(oo.contains(&"x_possible_names=easting".to_string()));
        assert!(!oo.iter().any(|o| o.starts_with("X_POSSIBLE_NAMES=")));
        assert!(oo.iter().any(|o| o.starts_with("Y_POSSIBLE_NAMES=")));
        assert_eq!(open_options(Path::new("a.gpkg"), &[]), Vec::<String>::new());
    }
}
