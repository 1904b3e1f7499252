//! What can stop an import as a whole. Problems with single features are not errors: they are
//! reported as repairs or rejections in the [`super::Summary`].
use std::path::PathBuf;

use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: no such file; check the path (relative paths are relative to the current directory, or to the sample directory in a manifest)")]
    NotFound { path: PathBuf },

    #[error("{path}: cannot be opened as a GIS file: {reason}. Check that the file is complete and in a format GDAL reads (try `ogrinfo {path}`)")]
    Open { path: PathBuf, reason: String },

    #[error("{path}: reading failed after {read} features: {reason}. The file looks corrupt or truncated; nothing was written")]
    Read {
        path: PathBuf,
        read: usize,
        reason: String,
    },

    #[error("{path}: {reason}. The file is ragged or truncated; nothing was written")]
    Malformed { path: PathBuf, reason: String },

    #[error("{path}: has no vector layer")]
    NoLayer { path: PathBuf },

    #[error("{path}: has no layer named {layer:?}; its layers are: {available}")]
    NoSuchLayer {
        path: PathBuf,
        layer: String,
        available: String,
    },

    #[error("{path}: has {count} layers ({available}); choose one with --layer NAME")]
    AmbiguousLayer {
        path: PathBuf,
        count: usize,
        available: String,
    },

    #[error("{path}: the file has no coordinate reference system and its coordinates (extent {extent}) are not longitude/latitude; say which CRS they are in with --src-crs, e.g. --src-crs EPSG:22391 (Carthage / Nord Tunisie), EPSG:22392 (Sud Tunisie) or EPSG:22332 (UTM 32N)")]
    MissingCrs { path: PathBuf, extent: String },

    #[error("--src-crs {crs:?} is not a coordinate reference system GDAL knows ({reason}); use the form EPSG:n, e.g. EPSG:22391")]
    BadCrs { crs: String, reason: String },

    #[error("cannot reproject from {crs} to EPSG:4326: {reason}")]
    Transform { crs: String, reason: String },

    #[error("--where {expr:?} is not a valid OGR attribute filter: {reason}. It uses SQL WHERE syntax on the file's fields, e.g. --where \"gov_id = 11\"")]
    BadWhere { expr: String, reason: String },

    #[error("--{option} {value:?}: {target} has no field {field:?}; its fields are: {allowed}")]
    UnknownTarget {
        option: &'static str,
        value: String,
        target: &'static str,
        field: String,
        allowed: String,
    },

    #[error("--field {value:?}: the file has no field {field:?}; its fields are: {available}")]
    UnknownSource {
        value: String,
        field: String,
        available: String,
    },

    #[error("invalid arguments: {0}")]
    Args(String),

    #[error("database error during the import (nothing was written): {0}")]
    Database(#[from] sqlx::Error),

    #[error("the import task failed: {0}")]
    Task(#[from] tokio::task::JoinError),

    #[error("the sample import lost its read task")]
    NoReadTask,

    #[error("sample manifest {path}: {reason}")]
    Manifest { path: PathBuf, reason: String },
}

impl From<ImportError> for AppError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Database(e) => AppError::from(e),
            ImportError::Task(t) => AppError::internal("the import task", t),
            ImportError::NoReadTask | ImportError::Manifest { .. } => {
                AppError::Internal(e.to_string())
            }
            other => AppError::Unprocessable(other.to_string()),
        }
    }
}
