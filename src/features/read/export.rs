//! Downloads: CSV (geometry as WKT) and files written by GDAL (GeoPackage, FlatGeobuf) in a
//! temporary directory, inside `spawn_blocking` (GDAL datasets are not thread-safe).
use gdal::{
    spatial_ref::{AxisMappingStrategy, SpatialRef},
    vector::{
        Feature, FieldDefn, Geometry, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType,
    },
    DriverManager,
};
use serde_json::Value;

use crate::features::render::format::Format;
use crate::features::FeaturesError;
use crate::layers::{Layer, PType, Prop};

fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// CSV with a header: `id`, the properties, then `wkt`.
pub fn csv(
    c: &Layer,
    props: &[&'static Prop],
    rows: &[(String, Option<String>, String)],
) -> Result<String, FeaturesError> {
    let mut out = String::with_capacity(rows.len() * 256);
    out.push_str("id");
    for p in props {
        out.push(',');
        out.push_str(p.name);
    }
    out.push_str(",wkt\r\n");
    for (fid, wkt, props_json) in rows {
        let obj: serde_json::Map<String, Value> =
            serde_json::from_str(props_json).map_err(|e| {
                FeaturesError::internal(format!("{}: properties are not JSON", c.id), e)
            })?;
        csv_field(&mut out, fid);
        for p in props {
            out.push(',');
            csv_field(
                &mut out,
                &value_text(obj.get(p.name).unwrap_or(&Value::Null)),
            );
        }
        out.push(',');
        csv_field(&mut out, wkt.as_deref().unwrap_or(""));
        out.push_str("\r\n");
    }
    Ok(out)
}

fn gdal_err(e: gdal::errors::GdalError) -> FeaturesError {
    FeaturesError::internal("GDAL", e)
}

fn field_type(t: PType) -> OGRFieldType::Type {
    match t {
        PType::Str => OGRFieldType::OFTString,
        PType::Int => OGRFieldType::OFTInteger64,
        PType::Num => OGRFieldType::OFTReal,
        PType::Bool => OGRFieldType::OFTInteger,
        PType::Date => OGRFieldType::OFTDate,
        PType::DateTime => OGRFieldType::OFTDateTime,
    }
}

fn geometry_type(c: &Layer) -> OGRwkbGeometryType::Type {
    match c.geometry_type {
        "MultiPolygon" => OGRwkbGeometryType::wkbMultiPolygon,
        "Point" => OGRwkbGeometryType::wkbPoint,
        "MultiPoint" if c.id != "projects" => OGRwkbGeometryType::wkbMultiPoint,
        // projects may mix geometry kinds
        _ => OGRwkbGeometryType::wkbUnknown,
    }
}

fn set_field(f: &mut Feature<'_>, idx: usize, p: &Prop, v: &Value) -> Result<(), FeaturesError> {
    let r = match (p.ty, v) {
        (_, Value::Null) => return Ok(()),
        (PType::Int, Value::Number(n)) => {
            f.set_field_integer64(idx, n.as_i64().unwrap_or_default())
        }
        (PType::Num, Value::Number(n)) => f.set_field_double(idx, n.as_f64().unwrap_or_default()),
        (PType::Bool, Value::Bool(b)) => f.set_field_integer(idx, i32::from(*b)),
        (PType::Date, Value::String(s)) => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => f.set_field_datetime(
                idx,
                d.and_hms_opt(0, 0, 0)
                    .unwrap_or_default()
                    .and_utc()
                    .fixed_offset(),
            ),
            Err(_) => f.set_field_string(idx, s),
        },
        (PType::DateTime, Value::String(s)) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(d) => f.set_field_datetime(idx, d),
            Err(_) => f.set_field_string(idx, s),
        },
        (_, other) => f.set_field_string(idx, &value_text(other)),
    };
    r.map_err(gdal_err)
}

/// Write the rows to a GeoPackage or FlatGeobuf file and return its bytes.
pub fn file(
    c: &'static Layer,
    props: &[&'static Prop],
    rows: &[(String, Option<Vec<u8>>, String)],
    srid: i32,
    fmt: Format,
) -> Result<Vec<u8>, FeaturesError> {
    let (driver_name, ext) = match fmt {
        Format::Gpkg => ("GPKG", "gpkg"),
        _ => ("FlatGeobuf", "fgb"),
    };
    let dir = tempfile::tempdir().map_err(|e| FeaturesError::internal("temp dir", e))?;
    let path = dir.path().join(format!("{}.{ext}", c.id));
    {
        let driver = DriverManager::get_driver_by_name(driver_name).map_err(gdal_err)?;
        let mut ds = driver.create_vector_only(&path).map_err(gdal_err)?;
        let mut srs = SpatialRef::from_epsg(srid as u32).map_err(gdal_err)?;
        srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        if fmt == Format::Gpkg {
            let mut txn = ds.start_transaction().map_err(gdal_err)?;
            write_layer(&mut txn, c, props, rows, &srs, fmt)?;
            txn.commit().map_err(gdal_err)?;
        } else {
            write_layer(&mut ds, c, props, rows, &srs, fmt)?;
        }
    }
    std::fs::read(&path).map_err(|e| FeaturesError::internal(format!("read {}", path.display()), e))
}

/// A feature as the file downloads read it: id, WKB geometry, properties as JSON text.
pub type WkbRow = (String, Option<Vec<u8>>, String);

/// One GeoPackage of several layers (all their properties, EPSG:4326): the open-data packs.
pub fn layers_gpkg(
    path: &std::path::Path,
    layers: &[(&'static Layer, &[WkbRow])],
) -> Result<(), FeaturesError> {
    let driver = DriverManager::get_driver_by_name("GPKG").map_err(gdal_err)?;
    let mut ds = driver.create_vector_only(path).map_err(gdal_err)?;
    let mut srs = SpatialRef::from_epsg(4326).map_err(gdal_err)?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut txn = ds.start_transaction().map_err(gdal_err)?;
    for (c, rows) in layers {
        let props: Vec<&'static Prop> = c.props.iter().collect();
        write_layer(&mut txn, c, &props, rows, &srs, Format::Gpkg)?;
    }
    txn.commit().map_err(gdal_err)
}

fn write_layer(
    ds: &mut gdal::Dataset,
    c: &'static Layer,
    props: &[&'static Prop],
    rows: &[(String, Option<Vec<u8>>, String)],
    srs: &SpatialRef,
    fmt: Format,
) -> Result<(), FeaturesError> {
    let fid_name = if props.iter().any(|p| p.name == "id") {
        "feature_id"
    } else {
        "id"
    };
    let layer_opts: &[&str] = if fmt == Format::Gpkg {
        &["FID=fid"]
    } else {
        &[]
    };
    let layer = ds
        .create_layer(LayerOptions {
            name: c.id,
            srs: Some(srs),
            ty: geometry_type(c),
            options: Some(layer_opts),
        })
        .map_err(gdal_err)?;
    let id_type = if c.fid_type == PType::Int {
        OGRFieldType::OFTInteger64
    } else {
        OGRFieldType::OFTString
    };
    FieldDefn::new(fid_name, id_type)
        .and_then(|d| d.add_to_layer(&layer))
        .map_err(gdal_err)?;
    for p in props {
        FieldDefn::new(p.name, field_type(p.ty))
            .and_then(|d| d.add_to_layer(&layer))
            .map_err(gdal_err)?;
    }
    let defn = layer.defn();
    for (fid, wkb, props_json) in rows {
        let obj: serde_json::Map<String, Value> = serde_json::from_str(props_json)
            .map_err(|e| FeaturesError::internal("properties are not JSON", e))?;
        let mut f = Feature::new(defn).map_err(gdal_err)?;
        if c.fid_type == PType::Int {
            f.set_field_integer64(0, fid.parse().unwrap_or_default())
                .map_err(gdal_err)?;
        } else {
            f.set_field_string(0, fid).map_err(gdal_err)?;
        }
        for (i, p) in props.iter().enumerate() {
            set_field(&mut f, i + 1, p, obj.get(p.name).unwrap_or(&Value::Null))?;
        }
        if let Some(wkb) = wkb {
            f.set_geometry(Geometry::from_wkb(wkb).map_err(gdal_err)?)
                .map_err(gdal_err)?;
        }
        f.create(&layer).map_err(gdal_err)?;
    }
    Ok(())
}
