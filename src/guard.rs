//! Bounds on untrusted input, checked before any recursive work: every parser of a request's
//! text (CQL2 text and JSON, GeoJSON bodies, WKT literals) goes through here first.
//!
//! Two defences, both needed:
//! - [`check_nesting`] scans the raw text once, without recursion, and refuses brackets nested
//!   deeper than a limit, with a message that names the limit;
//! - [`on_parser_stack`] runs the parser itself on a thread whose stack is sized for the worst
//!   input the length limits let through, so that no grammar detail (a chain of prefix operators,
//!   a right-associative power) can overflow the stack of a server thread and abort the process.

/// Stack for a parser thread: generous, since only the pages actually touched are committed.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// Why an input was refused before it was parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    #[error(
        "{what} is nested {depth} levels deep at character {at}; at most {max} levels are accepted"
    )]
    TooDeep {
        what: &'static str,
        depth: usize,
        at: usize,
        max: usize,
    },
    #[error("{what} has {len} characters; at most {max} are accepted")]
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{what} could not be read: {reason}")]
    ParserFailed { what: &'static str, reason: String },
}

/// Which quoting the text uses, so brackets inside strings are not counted.
#[derive(Debug, Clone, Copy)]
pub enum Quoting {
    /// CQL2 text: `'…'` strings and `"…"` identifiers, a quote doubled inside to escape it.
    Sql,
    /// JSON: `"…"` strings with backslash escapes.
    Json,
}

/// Refuse text whose `(`, `[` or `{` brackets nest deeper than `max` (outside quoted strings).
/// One pass, no recursion, no allocation.
pub fn check_nesting(
    src: &str,
    quoting: Quoting,
    max: usize,
    what: &'static str,
) -> Result<(), GuardError> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, ch) in src.chars().enumerate() {
        if let Some(q) = quote {
            match quoting {
                Quoting::Json if escaped => escaped = false,
                Quoting::Json if ch == '\\' => escaped = true,
                // a doubled quote in SQL quoting closes and reopens: the net effect is the same
                _ if ch == q => quote = None,
                _ => {}
            }
            continue;
        }
        match ch {
            '\'' if matches!(quoting, Quoting::Sql) => quote = Some('\''),
            '"' => quote = Some('"'),
            '(' | '[' | '{' => {
                depth += 1;
                if depth > max {
                    return Err(GuardError::TooDeep {
                        what,
                        depth,
                        at: i + 1,
                        max,
                    });
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Refuse text longer than `max` characters (counted as characters, not bytes).
pub fn check_len(src: &str, max: usize, what: &'static str) -> Result<(), GuardError> {
    // bytes bound characters from above: only count when the byte length is over
    if src.len() > max {
        let len = src.chars().count();
        if len > max {
            return Err(GuardError::TooLong { what, len, max });
        }
    }
    Ok(())
}

/// Run `parse` on a thread with a large stack and return its result. A panic inside the parser
/// (a bug of a third-party grammar) becomes an error instead of taking the request down.
pub fn on_parser_stack<T: Send>(
    what: &'static str,
    parse: impl FnOnce() -> T + Send,
) -> Result<T, GuardError> {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("mk-parser".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(s, parse)
            .map_err(|e| GuardError::ParserFailed {
                what,
                reason: format!("no parser thread is available ({e}); try again"),
            })?;
        handle.join().map_err(|_| GuardError::ParserFailed {
            what,
            reason: "the input made the parser fail; simplify it".into(),
        })
    })
}

/// The longest text a field accepts, in characters, on every write path (features, planning API,
/// keys): long texts for descriptions, a line for
/// titles, labels and names, a short token for codes and vocabulary values (an index row must
/// fit in a page, and nobody types a 20,000-character code).
pub fn text_limit(name: &str) -> usize {
    if name.starts_with("description") {
        10_000
    } else if matches!(name, "note" | "reason") {
        2_000
    } else if name.starts_with("title")
        || name.starts_with("label")
        || matches!(name, "owner" | "source" | "funder" | "blocked_cause")
    {
        500
    } else {
        100
    }
}

/// A JSON request body (or a part of one) as the body parsers accept it
/// (`participation::input::parse`, `projects::input::parse_body`): declared with
/// [`request_body!`], which refuses unknown fields, so a misspelt field is a 400 that names it,
/// never a field silently ignored. A generic body implements it by hand next to its own
/// `#[serde(deny_unknown_fields)]`.
pub trait RequestBody: serde::de::DeserializeOwned {}

/// Request-body structs, each with `Debug`, `Deserialize`, `#[serde(deny_unknown_fields)]` and
/// [`RequestBody`] (further attributes, `#[derive(Serialize)]` or docs, pass through).
macro_rules! request_body {
    ($($(#[$m:meta])* $v:vis struct $name:ident { $($fields:tt)* })+) => {$(
        $(#[$m])*
        #[derive(Debug, ::serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        $v struct $name { $($fields)* }

        impl $crate::guard::RequestBody for $name {}
    )+};
}
pub(crate) use request_body;

/// The body limit of every route (4 MiB); routes that take large uploads set their own.
pub const DEFAULT_BODY_LIMIT: usize = 4 * 1024 * 1024;
/// Vertices one GeoJSON geometry of a request body may have.
pub const MAX_GEOMETRY_VERTICES: usize = 100_000;
/// Levels of GeometryCollection inside GeometryCollection.
pub const MAX_COLLECTION_NESTING: usize = 4;

/// Check the structure of a GeoJSON geometry object before PostGIS reads it: a known type,
/// coordinates nested as the type requires, finite numbers, no empty part, at most
/// [`MAX_GEOMETRY_VERTICES`] vertices. The message says what is wrong and where.
pub fn check_geojson_geometry(v: &serde_json::Value) -> Result<(), String> {
    let mut vertices = 0usize;
    geometry(v, 0, &mut vertices)
}

fn geometry(v: &serde_json::Value, nesting: usize, vertices: &mut usize) -> Result<(), String> {
    use serde_json::Value;
    let Value::Object(o) = v else {
        return Err(format!("a geometry must be a JSON object, not {}", kind(v)));
    };
    let Some(Value::String(ty)) = o.get("type") else {
        return Err("a geometry needs a \"type\" (Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon or GeometryCollection)".into());
    };
    if ty == "GeometryCollection" {
        if nesting >= MAX_COLLECTION_NESTING {
            return Err(format!(
                "GeometryCollections are nested more than {MAX_COLLECTION_NESTING} levels deep"
            ));
        }
        let Some(Value::Array(members)) = o.get("geometries") else {
            return Err("a GeometryCollection needs a \"geometries\" array".into());
        };
        if members.is_empty() {
            return Err("the GeometryCollection is empty: give at least one geometry".into());
        }
        return members.iter().enumerate().try_for_each(|(i, m)| {
            geometry(m, nesting + 1, vertices).map_err(|e| format!("geometries[{i}]: {e}"))
        });
    }
    // depth of arrays above a position, and the least number of positions at the innermost level
    let (depth, min_positions) = match ty.as_str() {
        "Point" => (0, 1),
        "MultiPoint" => (1, 1),
        "LineString" => (1, 2),
        "MultiLineString" => (2, 2),
        "Polygon" => (2, 4),
        "MultiPolygon" => (3, 4),
        other => {
            return Err(format!(
                "unknown geometry type {other:?}; use Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon or GeometryCollection"
            ))
        }
    };
    let Some(c) = o.get("coordinates") else {
        return Err(format!("the {ty} has no \"coordinates\""));
    };
    coords(c, depth, min_positions, vertices).map_err(|e| format!("{ty} coordinates: {e}"))
}

fn coords(
    v: &serde_json::Value,
    depth: usize,
    min: usize,
    vertices: &mut usize,
) -> Result<(), String> {
    use serde_json::Value;
    let Value::Array(items) = v else {
        return Err(format!("expected an array, found {}", kind(v)));
    };
    if depth == 0 {
        // a position: two or three finite numbers
        if !(2..=4).contains(&items.len()) {
            return Err(format!(
                "a position has 2 or 3 numbers, not {}",
                items.len()
            ));
        }
        if !items.iter().all(|n| n.as_f64().is_some_and(f64::is_finite)) {
            return Err(format!("a position must hold finite numbers: {v}"));
        }
        *vertices += 1;
        if *vertices > MAX_GEOMETRY_VERTICES {
            return Err(format!(
                "more than {MAX_GEOMETRY_VERTICES} vertices; simplify the geometry"
            ));
        }
        return Ok(());
    }
    let least = if depth == 1 { min } else { 1 };
    if items.len() < least {
        return Err(if items.is_empty() {
            "an empty list: give at least one part".to_string()
        } else {
            format!(
                "{} positions where at least {least} are needed",
                items.len()
            )
        });
    }
    items
        .iter()
        .try_for_each(|i| coords(i, depth - 1, min, vertices))
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geojson_structure() {
        use serde_json::json;
        let ok = |v: serde_json::Value| check_geojson_geometry(&v);
        assert!(ok(json!({"type":"Point","coordinates":[10.1,36.8]})).is_ok());
        assert!(ok(json!({"type":"Point","coordinates":[]})).is_err());
        assert!(ok(json!({"type":"MultiPolygon","coordinates":[]})).is_err());
        assert!(ok(json!({"type":"GeometryCollection","geometries":[]})).is_err());
        assert!(ok(json!({"type":"LineString","coordinates":[[1,2]]})).is_err());
        assert!(ok(json!({"type":"Polygon","coordinates":[[[1,2],[2,2],[1,3],[1,2]]]})).is_ok());
        assert!(ok(json!({"type":"Polygon","coordinates":[[[1,2],[2,2],[1,2]]]})).is_err());
        assert!(ok(json!({"type":"Point","coordinates":[1,"x"]})).is_err());
        assert!(ok(json!({"type":"Circle","coordinates":[1,2]})).is_err());
        let mut g = json!({"type":"Point","coordinates":[1,2]});
        for _ in 0..6 {
            g = json!({"type":"GeometryCollection","geometries":[g]});
        }
        assert!(ok(g).unwrap_err().contains("nested"));
    }

    #[test]
    fn nesting_outside_strings_only() {
        let deep = format!("{}a=1{}", "(".repeat(40), ")".repeat(40));
        let e = check_nesting(&deep, Quoting::Sql, 32, "the filter").unwrap_err();
        assert!(e.to_string().contains("at most 32 levels"), "{e}");
        assert!(check_nesting("name = '((((((((('", Quoting::Sql, 2, "f").is_ok());
        assert!(check_nesting(r#"{"a":"[[[[\"[[["}"#, Quoting::Json, 2, "f").is_ok());
        assert!(check_nesting("[[[1]]]", Quoting::Json, 2, "f").is_err());
    }

    #[test]
    fn length_in_characters() {
        assert!(check_len("ééé", 3, "x").is_ok());
        assert!(check_len("éééé", 3, "x").is_err());
    }

    #[test]
    fn deep_recursion_runs_on_the_parser_stack() {
        fn depth(n: u64) -> u64 {
            let pad = [n; 64];
            if n == 0 {
                0
            } else {
                std::hint::black_box(pad)[0] + depth(n - 1) - n + 1
            }
        }
        // ~20,000 frames of over 512 bytes: far beyond a 2 MiB worker stack
        assert_eq!(on_parser_stack("t", || depth(20_000)).unwrap(), 20_000);
        assert!(on_parser_stack("t", || panic!("boom")).is_err());
    }
}
