//! `/api.html` and `/api?f=html`: the OpenAPI document as a readable page, rendered on the
//! server (no script, no assets).
use serde_json::Value;

use crate::features::read::collections::CONFORMANCE;
use crate::web::{esc, page};

fn param_row(doc: &Value, p: &Value) -> String {
    let p = match p.get("$ref").and_then(Value::as_str) {
        Some(r) => &doc["components"]["parameters"][r.rsplit('/').next().unwrap_or("")],
        None => p,
    };
    format!(
        "<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
        esc(p["name"].as_str().unwrap_or("")),
        esc(p["in"].as_str().unwrap_or("")),
        esc(&p["schema"].to_string()),
        esc(p["description"].as_str().unwrap_or(""))
    )
}

/// A readable page of the OpenAPI document.
pub(super) fn render(doc: &Value) -> String {
    let mut body = format!(
        "<h1>{}</h1><p>{}</p><p>OpenAPI 3.0: <a href=\"/api\">/api</a> · <a href=\"/conformance?f=html\">Conformance</a> · <a href=\"/collections?f=html\">Collections</a></p>",
        esc(doc["info"]["title"].as_str().unwrap_or("")),
        esc(doc["info"]["description"].as_str().unwrap_or(""))
    );
    let conf: String = CONFORMANCE
        .iter()
        .map(|c| format!("<li><code>{}</code></li>", esc(c)))
        .collect();
    body.push_str(&format!(
        "<details><summary>Conformance ({})</summary><ul>{conf}</ul></details>",
        CONFORMANCE.len()
    ));
    if let Some(paths) = doc["paths"].as_object() {
        for (path, ops) in paths {
            let Some(ops) = ops.as_object() else { continue };
            for (method, op) in ops {
                let params: String = op["parameters"]
                    .as_array()
                    .map(|a| a.iter().map(|p| param_row(doc, p)).collect())
                    .unwrap_or_default();
                let responses: String = op["responses"]
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(code, r)| {
                                format!(
                                    "<li><b>{}</b> {}</li>",
                                    esc(code),
                                    esc(r["description"].as_str().unwrap_or(""))
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                body.push_str(&format!(
                    "<details><summary><b>{}</b> <code>{}</code> — {}</summary>{}<ul>{responses}</ul></details>",
                    method.to_uppercase(),
                    esc(path),
                    esc(op["summary"].as_str().unwrap_or("")),
                    if params.is_empty() { String::new() } else { format!("<table><tr><th>name</th><th>in</th><th>schema</th><th></th></tr>{params}</table>") }
                ));
            }
        }
    }
    page("API — Mokhattat", &body)
}
