//! The one integration-test binary: each former `tests/<name>.rs` is a module here (test names
//! read `features::paging_…` in nextest), all sharing the harness in `common/`. See tests/README.md.

mod common;

mod api_doc;
mod api_explorer;
mod asof;
mod auth;
mod basemap_pmtiles;
mod disclosure;
mod e2e_features;
mod e2e_tiles;
mod embedded;
mod fast_paths;
mod features;
mod fuzz;
mod harness;
mod hostile;
mod iati;
mod import;
mod indicator_rules;
mod limits;
mod map_browser;
mod map_legend;
mod offline_tiles;
mod packs;
mod pages;
mod pages_browser;
mod participation;
mod participation_browser;
mod participation_layers;
mod participation_moderation;
mod participation_plans;
mod planning;
mod planning_api;
mod planning_history;
mod planning_indicators;
mod replicas;
mod schema;
mod sheet_print;
mod structure;
mod territory;
mod tile_versions;
mod tiles;
mod visibility;
mod web;
mod write_rules;
