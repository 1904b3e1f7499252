//! The shape of the code, checked: no cycle between modules, no file over 400 lines and no function
//! over 80 lines unless a `// size: <reason>` comment says why (at the top of the file, or on the lines
//! just above the fn, among its attributes and doc comments).
//!
//! The module graph is built from `crate::…` and `super::…` paths in `src/**/*.rs` (comments and
//! string literals blanked first), at two levels: between top-level modules (`tiles → db`), and
//! between the direct submodules of one top-level module (`tiles::handlers → tiles::meta`); a
//! submodule's use of its parent's own items is not an edge. A cycle at either level fails.
//! `cargo nextest run --test it structure:: --no-capture` prints the graph (docs/ARCHITECTURE.md shows it).
use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// Paths not checked (none: every file is held to the same rule).
const NOT_YET_CHECKED: &[&str] = &[];

const MAX_FILE_LINES: usize = 400;
const MAX_FN_LINES: usize = 80;

fn skipped(rel: &str) -> bool {
    NOT_YET_CHECKED.iter().any(|p| rel.starts_with(p))
}

/// `text` with comments and the insides of string and char literals replaced by spaces (newlines
/// kept, so line numbers still match).
fn blank(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let keep_lines = |out: &mut String, s: &[char]| {
        for &ch in s {
            out.push(if ch == '\n' { '\n' } else { ' ' });
        }
    };
    while i < c.len() {
        let prev_ident = i > 0 && ident(c[i - 1]);
        if c[i] == '/' && c.get(i + 1) == Some(&'/') {
            let end = (i..c.len()).find(|&j| c[j] == '\n').unwrap_or(c.len());
            keep_lines(&mut out, &c[i..end]);
            i = end;
        } else if c[i] == '/' && c.get(i + 1) == Some(&'*') {
            let (mut depth, mut j) = (1, i + 2);
            while j < c.len() && depth > 0 {
                if c[j] == '/' && c.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 1;
                } else if c[j] == '*' && c.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 1;
                }
                j += 1;
            }
            keep_lines(&mut out, &c[i..j.min(c.len())]);
            i = j;
        } else if !prev_ident && (c[i] == 'r' || (c[i] == 'b' && c.get(i + 1) == Some(&'r'))) && {
            let s = if c[i] == 'b' { i + 2 } else { i + 1 };
            let h = (s..c.len()).take_while(|&j| c[j] == '#').count();
            c.get(s + h) == Some(&'"')
        } {
            let s = if c[i] == 'b' { i + 2 } else { i + 1 };
            let hashes = (s..c.len()).take_while(|&j| c[j] == '#').count();
            let mut j = s + hashes + 1;
            while j < c.len() {
                if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
                    j += hashes + 1;
                    break;
                }
                j += 1;
            }
            keep_lines(&mut out, &c[i..j.min(c.len())]);
            i = j;
        } else if c[i] == '"' {
            let mut j = i + 1;
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            keep_lines(&mut out, &c[i..(j + 1).min(c.len())]);
            i = j + 1;
        } else if c[i] == '\'' && (c.get(i + 1) == Some(&'\\') || c.get(i + 2) == Some(&'\'')) {
            let mut j = i + 1;
            while j < c.len() && c[j] != '\'' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            keep_lines(&mut out, &c[i..(j + 1).min(c.len())]);
            i = j + 1;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The module path of a source file: `src/tiles/meta.rs` → `["tiles", "meta"]`; lib.rs and main.rs
/// are the crate roots (`[]`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .strip_prefix("src")
        .unwrap_or(rel)
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// The paths a `use` tree or an expression names after `crate::`/`super::`, as lists of segments
/// (`crate::{a::b, c}` → `[a, b]`, `[c]`). `at` is just past the `::`.
fn paths_from(code: &[u8], at: usize) -> Vec<Vec<String>> {
    fn tree(code: &[u8], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
        let mut path = prefix;
        loop {
            while i < code.len() && code[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < code.len() && code[i] == b'{' {
                i += 1;
                loop {
                    i = tree(code, i, path.clone(), out);
                    while i < code.len() && code[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    match code.get(i) {
                        Some(b',') => i += 1,
                        Some(b'}') => return i + 1,
                        _ => return i,
                    }
                    while i < code.len() && code[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    if code.get(i) == Some(&b'}') {
                        return i + 1;
                    }
                }
            }
            let s = i;
            while i < code.len() && (code[i].is_ascii_alphanumeric() || code[i] == b'_') {
                i += 1;
            }
            if s == i {
                out.push(path);
                return i;
            }
            path.push(String::from_utf8_lossy(&code[s..i]).into_owned());
            if code.get(i) == Some(&b':') && code.get(i + 1) == Some(&b':') {
                i += 2;
            } else {
                out.push(path);
                return i;
            }
        }
    }
    let mut out = Vec::new();
    tree(code, at, Vec::new(), &mut out);
    out
}

struct SourceFile {
    rel: String,
    module: Vec<String>,
    lines: Vec<String>,
    code: String,
}

fn read_sources(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("src is readable")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            read_sources(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(root).expect("under root").to_path_buf();
            let text = fs::read_to_string(&p).expect("source is UTF-8");
            out.push(SourceFile {
                rel: rel.to_string_lossy().replace('\\', "/"),
                module: module_of(&rel),
                lines: text.lines().map(str::to_string).collect(),
                code: blank(&text),
            });
        }
    }
}

/// Every module path `a::b::c` that names an existing module, by its files.
fn modules(files: &[SourceFile]) -> BTreeSet<Vec<String>> {
    files.iter().map(|f| f.module.clone()).collect()
}

/// The longest prefix of `path` that is a module.
fn resolve(path: &[String], mods: &BTreeSet<Vec<String>>) -> Vec<String> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| mods.contains(p))
        .unwrap_or_default()
}

/// Modules each file refers to, as absolute module paths.
fn references(f: &SourceFile, mods: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let code = f.code.as_bytes();
    let mut refs = BTreeSet::new();
    // a file `a/b.rs` is module a::b, and `super` is a; in `a/b/mod.rs` (module a::b) too.
    let mut i = 0;
    while let Some(off) = f.code[i..].find("::") {
        let at = i + off;
        i = at + 2;
        let s = (0..at)
            .rev()
            .take_while(|&j| code[j].is_ascii_alphanumeric() || code[j] == b'_')
            .last()
            .unwrap_or(at);
        let head = &f.code[s..at];
        if s > 0 && (code[s - 1] == b':' || code[s - 1].is_ascii_alphanumeric()) {
            continue;
        }
        let base: Vec<String> = match head {
            "crate" => Vec::new(),
            "super" => {
                let mut m = f.module.clone();
                m.pop();
                let mut j = at + 2;
                while f.code[j..].starts_with("super::") {
                    m.pop();
                    j += 7;
                }
                i = j;
                m
            }
            _ => continue,
        };
        for p in paths_from(code, i) {
            let full: Vec<String> = base.iter().cloned().chain(p).collect();
            refs.insert(resolve(&full, mods));
        }
    }
    refs
}

/// Edges between top-level modules, and between the direct submodules of each top-level module.
fn graph(files: &[SourceFile]) -> (Edges, BTreeMap<String, Edges>) {
    let mods = modules(files);
    let mut top = Edges::new();
    let mut inner: BTreeMap<String, Edges> = BTreeMap::new();
    for f in files.iter().filter(|f| !f.module.is_empty()) {
        let from = &f.module;
        for to in references(f, &mods) {
            if to.is_empty() {
                continue;
            }
            if to[0] != from[0] {
                top.entry(from[0].clone())
                    .or_default()
                    .insert(to[0].clone());
            } else if from.len() >= 2 && to.len() >= 2 && from[1] != to[1] {
                inner
                    .entry(from[0].clone())
                    .or_default()
                    .entry(from[1].clone())
                    .or_default()
                    .insert(to[1].clone());
            }
        }
    }
    (top, inner)
}

type Edges = BTreeMap<String, BTreeSet<String>>;

/// The strongly connected components with more than one node (Tarjan's algorithm).
fn cycles(g: &Edges) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a Edges,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(lw));
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(iw));
            }
        }
        if t.low[v] == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                scc.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                t.out.push(scc);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn exempt(line: &str) -> bool {
    line.trim_start().starts_with("// size:")
}

/// Functions longer than the limit with no reason written above them: (first line, name, lines).
fn long_functions(f: &SourceFile) -> Vec<(usize, String, usize)> {
    let code = f.code.as_bytes();
    let line_of = |pos: usize| code[..pos].iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = f.code[i..].find("fn ") {
        let at = i + off;
        i = at + 3;
        if at > 0 && (code[at - 1].is_ascii_alphanumeric() || code[at - 1] == b'_') {
            continue;
        }
        let name: String = f.code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let Some(open) = f.code[at..].find(['{', ';']).map(|o| at + o) else {
            continue;
        };
        if code[open] == b';' {
            continue;
        }
        let mut depth = 0;
        let mut end = open;
        for (j, &b) in code.iter().enumerate().skip(open) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let (first, last) = (line_of(at), line_of(end));
        let len = last - first + 1;
        if len <= MAX_FN_LINES {
            continue;
        }
        // the comment may sit among the attributes and doc comments just above the fn
        let reason = f.lines[..first]
            .iter()
            .rev()
            .take_while(|l| {
                let t = l.trim_start();
                t.starts_with("//") || t.starts_with("#[") || t.starts_with("#![")
            })
            .any(|l| exempt(l));
        if !reason {
            out.push((first + 1, name, len));
        }
    }
    out
}

fn file_exempt(f: &SourceFile) -> bool {
    f.lines
        .iter()
        .take_while(|l| l.trim_start().starts_with("//") || l.trim().is_empty())
        .any(|l| exempt(l))
}

fn load() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    read_sources(&root.join("src"), root, &mut files);
    assert!(files.len() > 20, "src/ has the crate's sources");
    files
}

fn print_graph(title: &str, g: &Edges) {
    println!("{title}");
    for (from, to) in g {
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        println!("  {from} → {}", to.join(", "));
    }
}

#[test]
fn no_module_cycles() {
    let files = load();
    let (top, inner) = graph(&files);
    print_graph("top-level modules:", &top);
    let mut found = Vec::new();
    for scc in cycles(&top) {
        found.push(format!("top level: {}", scc.join(" ↔ ")));
    }
    for (parent, g) in &inner {
        print_graph(&format!("inside {parent}:"), g);
        if skipped(&format!("src/{parent}/")) {
            continue;
        }
        for scc in cycles(g) {
            let names: Vec<String> = scc.iter().map(|m| format!("{parent}::{m}")).collect();
            found.push(format!("inside {parent}: {}", names.join(" ↔ ")));
        }
    }
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

#[test]
fn small_files_and_functions() {
    let mut found = Vec::new();
    for f in load().iter().filter(|f| !skipped(&f.rel)) {
        if f.lines.len() > MAX_FILE_LINES && !file_exempt(f) {
            found.push(format!("{}: {} lines", f.rel, f.lines.len()));
        }
        for (line, name, len) in long_functions(f) {
            found.push(format!("{}:{line}: fn {name} is {len} lines", f.rel));
        }
    }
    assert!(
        found.is_empty(),
        "over {MAX_FILE_LINES} lines per file or {MAX_FN_LINES} per function, with no \
         `// size: <reason>` comment:\n{}",
        found.join("\n")
    );
}

/// The checker itself: a cycle is found, a long function is found, an exemption is honoured,
/// and strings and comments do not count.
#[test]
fn the_checker_finds_what_it_should() {
    let mut g = Edges::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    g.entry("c".into()).or_default().insert("d".into());
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);

    let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
    let text = format!(
        "fn long() {{\n{body}}}\n// size: a table\n#[inline]\nfn ok() {{\n{body}}}\n\
         fn s() {{ let _ = \"}} fn x() {{\"; }}\n"
    );
    let f = SourceFile {
        rel: "src/x.rs".into(),
        module: vec!["x".into()],
        lines: text.lines().map(str::to_string).collect(),
        code: blank(&text),
    };
    let long = long_functions(&f);
    assert_eq!(long.len(), 1, "{long:?}");
    assert_eq!((long[0].0, long[0].1.as_str()), (1, "long"));

    let mods: BTreeSet<Vec<String>> = [vec![], vec!["a".into()], vec!["a".into(), "b".into()]]
        .into_iter()
        .chain([vec!["c".to_string()], vec!["x".to_string()]])
        .collect();
    let text = "use crate::{a::b::T, c};\n// crate::x::Y\nfn f() { super::c::g(); \"crate::x\"; }";
    let f = SourceFile {
        rel: "src/x.rs".into(),
        module: vec!["x".into()],
        lines: text.lines().map(str::to_string).collect(),
        code: blank(text),
    };
    let refs: Vec<String> = references(&f, &mods)
        .into_iter()
        .map(|m| m.join("::"))
        .collect();
    assert_eq!(refs, vec!["a::b", "c"]);
}
