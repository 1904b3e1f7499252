//! Small builders shared by the area files of the OpenAPI document: parameters, operations,
//! responses (every error is the one exception body) and the key requirements.
use serde_json::{json, Map, Value};

/// A `$ref` to a shared parameter.
pub fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/parameters/{name}")})
}

/// A `$ref` to a shared schema.
pub fn s(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// An optional query parameter.
pub fn q(name: &str, schema: Value, desc: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": desc})
}

/// A required query parameter.
pub fn q_req(name: &str, schema: Value, desc: &str) -> Value {
    json!({"name": name, "in": "query", "required": true, "schema": schema, "description": desc})
}

/// A text path parameter with the example that `/api.html` offers and the route test probes.
pub fn path(name: &str, example: &str, desc: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}, "example": example, "description": desc})
}

/// An integer path parameter (a database id).
pub fn path_id(name: &str, example: i64, desc: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}, "example": example, "description": desc})
}

/// An optional header parameter.
pub fn header(name: &str, desc: &str) -> Value {
    json!({"name": name, "in": "header", "required": false, "schema": {"type": "string"}, "description": desc})
}

/// `{"type": "string"}` with an enum.
pub fn one_of(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}

pub fn text() -> Value {
    json!({"type": "string"})
}

pub fn object() -> Value {
    json!({"type": "object"})
}

pub fn array_of(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

/// An object with these required properties (others allowed).
pub fn with(required: &[&str]) -> Value {
    json!({"type": "object", "required": required})
}

/// A successful response in one or more media types, the first with `schema`, the others text.
pub fn ok(desc: &str, media: &[&str], schema: Value) -> Value {
    let mut content = Map::new();
    for (i, m) in media.iter().enumerate() {
        let sch = if i == 0 {
            schema.clone()
        } else if m.starts_with("text/") {
            text()
        } else {
            json!({"type": "string", "format": "binary"})
        };
        content.insert((*m).into(), json!({"schema": sch}));
    }
    json!({"description": desc, "content": content})
}

/// A JSON answer.
pub fn ok_json(desc: &str, schema: Value) -> Value {
    ok(desc, &["application/json"], schema)
}

/// The error responses, each an OGC exception body.
pub fn error_responses(codes: &[&str]) -> Map<String, Value> {
    let mut m = Map::new();
    for c in codes {
        let desc = match *c {
            "400" => "Bad request: a parameter or the body is wrong (the message says what to fix)",
            "401" => "An API key is needed, or the key sent is not valid",
            "403" => "The key may not do this",
            "404" => "Not found",
            "405" => "The collection is read-only",
            "409" => "Conflict (e.g. a code already used, a transition the lifecycle refuses)",
            "412" => "If-Match does not match the current ETag",
            "413" => "The body is larger than the server accepts",
            "415" => "The body's Content-Type is not accepted",
            "422" => "The input is not valid (the message says what is wrong)",
            "429" => {
                "Too many anonymous writes from this address; Retry-After says when to try again"
            }
            "503" => "The database is unavailable",
            _ => "Error",
        };
        let mut response = json!({"description": desc, "content": {"application/json": {"schema": s("Exception")}}});
        if *c == "429" {
            response["headers"] = json!({"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}});
        }
        m.insert((*c).into(), response);
    }
    m
}

/// One operation: its success response under `code`, the errors it may answer.
pub fn op(
    tag: &str,
    id: &str,
    summary: &str,
    params: Vec<Value>,
    code: &str,
    ok: Value,
    errors: &[&str],
) -> Value {
    let mut responses = error_responses(errors);
    responses.insert(code.into(), ok);
    json!({"operationId": id, "summary": summary, "tags": [tag], "parameters": params, "responses": responses})
}

/// The same, answering 200.
pub fn get(
    tag: &str,
    id: &str,
    summary: &str,
    params: Vec<Value>,
    ok: Value,
    errors: &[&str],
) -> Value {
    op(tag, id, summary, params, "200", ok, errors)
}

/// Adds a required JSON request body.
pub fn body(mut op: Value, schema: Value) -> Value {
    op["requestBody"] =
        json!({"required": true, "content": {"application/json": {"schema": schema}}});
    op
}

/// The three ways to send a key (`auth::extract`), as security scheme names.
pub const KEY_SCHEMES: [&str; 3] = ["bearer", "apiKeyHeader", "apiKeyQuery"];

/// A key is required (any of the three ways).
pub fn key_required() -> Value {
    Value::Array(KEY_SCHEMES.iter().map(|k| json!({ *k: [] })).collect())
}

/// A key is accepted (it widens what the caller sees or may do) but not required.
pub fn key_optional() -> Value {
    let mut v = key_required();
    if let Some(a) = v.as_array_mut() {
        a.push(json!({}));
    }
    v
}

/// Marks an operation as needing a key.
pub fn needs_key(mut op: Value) -> Value {
    op["security"] = key_required();
    op
}

/// The `components.securitySchemes` entries.
pub fn security_schemes() -> Value {
    json!({
        "bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <key> (read first)"},
        "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "X-API-Key: <key>"},
        "apiKeyQuery": {"type": "apiKey", "in": "query", "name": crate::auth::extract::QUERY_PARAM,
            "description": "?api_key=<key> (for clients that only carry a URL, e.g. QGIS and GDAL); a different key in two places is a 400"},
    })
}
