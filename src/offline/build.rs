//! Putting a pack together: the layers read (`pack`), the IATI file, the GeoPackage written by
//! GDAL, the CSVs, `metadata.json` and the README (`doc`), zipped.
use std::io::Write;

use sqlx::PgPool;

use super::area::Area;
use super::doc;
use super::pack::{read, PackLayer};
use crate::error::AppError;
use crate::features::read::export;

/// Build the pack's zip (the GeoPackage is written by GDAL: call from a blocking thread).
pub fn zip(area: &Area, layers: &[PackLayer], iati: &str) -> Result<Vec<u8>, AppError> {
    let io = |e: std::io::Error| AppError::internal("writing the pack", e);
    let dir = tempfile::tempdir().map_err(io)?;
    let gpkg_path = dir.path().join("pack.gpkg");
    export::layers_gpkg(
        &gpkg_path,
        &layers
            .iter()
            .map(|l| (l.layer, &l.rows[..]))
            .collect::<Vec<_>>(),
    )?;
    let gpkg = std::fs::read(&gpkg_path).map_err(io)?;
    let stem = format!("mokhattat-{}", area.code);
    let generated = chrono::Utc::now();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "README.md".into(),
            doc::readme(area, layers, &stem).into_bytes(),
        ),
        (
            "metadata.json".into(),
            doc::metadata(area, layers, &stem, generated).into_bytes(),
        ),
        (format!("{stem}.gpkg"), gpkg),
        (format!("{stem}-iati.xml"), iati.as_bytes().to_vec()),
    ];
    for l in layers {
        files.push((
            format!("csv/{}.csv", l.layer.id),
            l.csv.clone().into_bytes(),
        ));
    }
    let zerr = |e: zip::result::ZipError| AppError::internal("zipping the pack", e);
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        z.start_file(name, opts).map_err(zerr)?;
        z.write_all(&bytes).map_err(io)?;
    }
    Ok(z.finish().map_err(zerr)?.into_inner())
}

/// The whole pack: read, IATI, zip.
pub async fn build(
    pool: &PgPool,
    area: &Area,
    progress: &(dyn Fn(&str, usize) + Sync),
) -> Result<Vec<u8>, AppError> {
    let layers = read(pool, area, progress).await?;
    let municipality = (!area.is_national()).then(|| area.code.clone());
    let filter = crate::iati::Filter::new(None, None, municipality);
    let iati = crate::iati::export(pool, &crate::auth::Visibility::default(), &filter).await?;
    progress("iati", iati.matches("<iati-activity ").count());
    let area = area.clone();
    tokio::task::spawn_blocking(move || zip(&area, &layers, &iati))
        .await
        .map_err(|e| AppError::internal("pack task", e))?
}
