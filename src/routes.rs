//! Route tables: a capability declares its routes once, one row a path
//! (`"/api/things/{id}" => get(things::get).patch(things::edit),`), instead of a chain of
//! `Router::route` calls. `tests/it/api_doc.rs` reads these tables to check the OpenAPI document.

/// A `Router` serving each row's path with the row's method router (`get(a).post(b)`…).
macro_rules! route_table {
    ($($path:literal => $methods:expr),+ $(,)?) => {
        ::axum::Router::new()$(.route($path, $methods))+
    };
}
pub(crate) use route_table;
