//! A safe reader for IATI files: well-formed XML without DTD (so no entity can expand), bounded
//! depth and size, into a small element tree the importer walks.
use quick_xml::{escape::resolve_predefined_entity, events::Event, Reader};

use super::IatiError;

const MAX_DEPTH: usize = 32;

#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }
}

fn bad(pos: u64, what: impl std::fmt::Display) -> IatiError {
    IatiError::Malformed(format!("at byte {pos}: {what}"))
}

fn start_element(
    reader: &Reader<&[u8]>,
    e: &quick_xml::events::BytesStart,
) -> Result<Element, IatiError> {
    let pos = reader.buffer_position();
    let name = e.name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| bad(pos, err))?;
        let key = a.key.as_ref().to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| bad(pos, err))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        ..Default::default()
    })
}
// size: the safe XML event loop (entity, depth and size checks together)
/// Parse a whole document; the root element is returned.
pub fn parse(xml: &str) -> Result<Element, IatiError> {
    if xml.len() > super::MAX_FILE_BYTES {
        return Err(IatiError::TooLarge(format!(
            "the file has {} bytes; at most {} are accepted",
            xml.len(),
            super::MAX_FILE_BYTES
        )));
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| bad(pos, e))?;
        match event {
            Event::DocType(_) => {
                return Err(bad(
                    pos,
                    "a DOCTYPE (DTD, entity declarations) is not accepted in an IATI file",
                ))
            }
            Event::Start(e) => {
                if root.is_some() {
                    return Err(bad(pos, "content after the root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(bad(pos, format!("elements nested deeper than {MAX_DEPTH}")));
                }
                let el = start_element(&reader, &e)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = start_element(&reader, &e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err(bad(pos, "content after the root element")),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(|| bad(pos, "unexpected end tag"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(cur) = stack.last_mut() {
                    cur.text.push_str(&t.xml10_content());
                } else if !t.xml10_content().trim().is_empty() {
                    return Err(bad(pos, "text outside the root element"));
                }
            }
            Event::CData(t) => {
                if let Some(cur) = stack.last_mut() {
                    cur.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved: String = match r.resolve_char_ref().map_err(|e| bad(pos, e))? {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&r)
                        .ok_or_else(|| bad(pos, format!("unknown entity &{};", &*r)))?
                        .to_string(),
                };
                if let Some(cur) = stack.last_mut() {
                    cur.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(IatiError::Malformed(format!(
            "the file ends inside <{}>: it is truncated",
            stack.last().map(|e| e.name.as_str()).unwrap_or("")
        )));
    }
    root.ok_or_else(|| IatiError::Malformed("the file holds no XML element".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_entities_and_refuses_dtds() {
        let r = parse("<a x=\"1&amp;2\"><b>t &lt; &#x41;</b><c/></a>").unwrap();
        assert_eq!(r.attr("x"), Some("1&2"));
        assert_eq!(r.child("b").unwrap().text, "t < A");
        assert!(parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").is_err());
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a><b>").is_err());
        assert!(parse("<a>&x;</a>").is_err());
    }
}
