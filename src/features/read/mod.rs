//! Reading: query parameters, the items SQL, CQL2 filters, CRS, collections and their metadata,
//! downloads (CSV, GeoPackage, FlatGeobuf) and the response cache.
pub mod cache;
pub mod collections;
pub mod crs;
pub mod feature;
pub mod filter;
pub mod items;
pub mod params;
pub mod query;

pub mod export;
