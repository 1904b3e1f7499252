//! Embeds `db/functions/**.sql` (the current definition of every database function) as a sorted
//! list of `(path, text)` pairs, and reruns when a migration or a function file changes.
use std::{env, fs, path::Path};

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for entry in rd.flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "sql") {
            out.push(p.to_string_lossy().into_owned());
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=db/functions");
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("db/functions");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for f in &files {
        let rel = Path::new(f)
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_str!({f:?})),\n"));
    }
    code.push_str("]\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("functions.rs");
    fs::write(out, code).unwrap();
}
