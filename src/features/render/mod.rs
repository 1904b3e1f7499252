//! What the features API answers with: format negotiation, HTML pages, the OpenAPI document,
//! URLs in links.
pub mod format;
pub mod html;
pub mod openapi;
pub mod url;
