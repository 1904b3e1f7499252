//! What the features API answers with: format negotiation, HTML pages, URLs in links.
pub mod format;
pub mod html;
pub mod url;
