//! `mokhattat export iati` and `mokhattat import FILE.xml --as iati`.
use sqlx::PgPool;

use super::{export, import_file, Filter};
use crate::auth::Visibility;
use crate::config::IatiExportArgs;

/// The command line sees what the public sees: the file is for publication.
pub async fn run_export(pool: &PgPool, a: IatiExportArgs) -> anyhow::Result<()> {
    let filter = Filter::new(a.project, a.funder, a.municipality);
    let xml = export(pool, &Visibility::default(), &filter).await?;
    match a.output {
        Some(path) => {
            tokio::fs::write(&path, xml.as_bytes()).await?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{xml}"),
    }
    Ok(())
}

/// `import FILE.xml --as iati [--default partner=SLUG] [--dry-run]`.
pub async fn run_import(pool: &PgPool, args: &crate::import::ImportArgs) -> anyhow::Result<()> {
    let partner = args
        .defaults
        .iter()
        .find(|(k, _)| k == "partner")
        .map(|(_, v)| v.as_str());
    let report = import_file(pool, &args.path, partner, args.dry_run).await?;
    print!("{report}");
    Ok(())
}
