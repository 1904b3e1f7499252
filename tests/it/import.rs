//! The importer against real PostGIS, with real files (the shared Tunisian data, and files written
//! in the test with ogr2ogr).
use crate::common;

#[path = "import/boundaries.rs"]
mod boundaries;
#[path = "import/formats.rs"]
mod formats;
#[path = "import/integrity.rs"]
mod integrity;
#[path = "import/sample.rs"]
mod sample;
#[path = "import/targets.rs"]
mod targets;

use std::{path::Path, process::Command, time::Instant};

use clap::Parser;
use mokhattat::import::{self, ImportArgs, ImportError, Progress, Summary};
use sqlx::PgPool;

#[derive(Parser)]
#[command(no_binary_name = true)]
struct Cli {
    #[command(flatten)]
    args: ImportArgs,
}

fn args(list: &[&str]) -> ImportArgs {
    Cli::try_parse_from(list)
        .expect("valid import arguments")
        .args
}

async fn try_import(pool: &PgPool, list: &[&str]) -> Result<Summary, ImportError> {
    import::run(pool, &args(list), Progress::Hidden).await
}

async fn import(pool: &PgPool, list: &[&str]) -> Summary {
    try_import(pool, list).await.expect("import succeeds")
}

fn data(rel: &str) -> String {
    common::root()
        .join("../shared/data")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn ogr2ogr(list: &[&str]) {
    let out = Command::new("ogr2ogr")
        .args(list)
        .output()
        .expect("run ogr2ogr (gdal-bin)");
    common::ok_stdout(&out);
}

/// The 2018 municipalities of governorate `gov` written by ogr2ogr as `driver` (with `extra`
/// options) to `name` in `dir`: its path.
fn municipalities_as(
    dir: &tempfile::TempDir,
    name: &str,
    driver: &str,
    gov: &str,
    extra: &[&str],
) -> String {
    let path = p(dir.path(), name);
    let (filter, src) = (
        format!("gov_id = {gov}"),
        data("boundaries/municipalities_2018.geojson"),
    );
    let mut list = vec!["-f", driver, "-where", &filter];
    list.extend(extra);
    list.extend([path.as_str(), &src]);
    ogr2ogr(&list);
    path
}

/// An empty database, and a fresh folder with a file `name` holding `text` (and its path).
async fn empty_db_with_file(name: &str, text: &str) -> (common::TestDb, tempfile::TempDir, String) {
    let dir = common::scratch("import-");
    let path = file(&dir, name, text);
    (common::empty_db().await, dir, path)
}

fn p(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// A file `name` in `dir` holding `text`: its path.
fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = p(dir.path(), name);
    std::fs::write(&path, text).unwrap();
    path
}

const MUNI_FIELDS: &[&str] = &[
    "--as",
    "municipalities",
    "--field",
    "code=id_mun_official",
    "--field",
    "name_ar=name_ar_official",
    "--field",
    "name_fr=name_fr_official",
    "--field",
    "name_en=mun_en",
    "--field",
    "parent_code=gov_id",
];

/// `path --as governorates --field code=gov_id` and `more`: the governorates file's arguments.
fn gov_args<'a>(path: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![path, "--as", "governorates", "--field", "code=gov_id"];
    v.extend_from_slice(more);
    v
}

fn with<'a>(path: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![path];
    v.extend_from_slice(rest);
    v
}

/// Row counts and a content checksum of every table the importer writes.
async fn fingerprint(pool: &PgPool) -> Vec<(String, i64, String)> {
    let mut out = Vec::new();
    for t in [
        "admin_unit",
        "population",
        "landuse_layer",
        "landuse_zone",
        "project",
        "project_location",
        "funding_line",
        "project_event",
        "facility",
        "import_run",
    ] {
        let (n, sum): (i64, Option<String>) = sqlx::query_as(&format!(
            "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {t} t"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        out.push((t.to_string(), n, sum.unwrap_or_default()));
    }
    out
}
