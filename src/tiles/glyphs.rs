//! Glyphs for map labels (SDF glyph PBFs, as MapLibre asks for them), rendered from the system's
//! Noto fonts (Debian `fonts-noto-core`) on first request and kept in memory. A font stack name
//! maps to the Latin face plus the Arabic face, so one stack covers French and Arabic (including
//! the presentation forms the RTL text plugin shapes Arabic into).
//!
//! `GET /fonts/{stack}/{start}-{end}.pbf`, e.g. `/fonts/Noto Sans Regular/1536-1791.pbf`.
use std::{path::PathBuf, sync::Arc};

use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use pbf_font_tools::{prost::Message, Fontstack, Glyph, Glyphs as GlyphsPbf};
use sdf_glyph_renderer::{clamp_to_u8, BitmapGlyph};

use super::TileService;
use crate::error::AppError;

const FONT_DIRS: &[&str] = &[
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto",
    "/usr/local/share/fonts/noto",
];

/// Stack names and their font files (Latin first, then Arabic).
const STACKS: &[(&str, &[&str])] = &[
    (
        "Noto Sans Regular",
        &["NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf"],
    ),
    (
        "Noto Sans Bold",
        &["NotoSans-Bold.ttf", "NotoSansArabic-Bold.ttf"],
    ),
    (
        "Noto Sans Italic",
        &["NotoSans-Italic.ttf", "NotoSansArabic-Regular.ttf"],
    ),
];

pub struct Glyphs {
    cache: moka::future::Cache<(String, u32), Bytes>,
}

impl Default for Glyphs {
    fn default() -> Self {
        Self {
            cache: moka::future::Cache::builder()
                .max_capacity(64 * 1024 * 1024)
                .weigher(|_k: &(String, u32), v: &Bytes| v.len().min(u32::MAX as usize) as u32)
                .build(),
        }
    }
}

fn font_file(name: &str) -> Option<PathBuf> {
    FONT_DIRS
        .iter()
        .map(|d| PathBuf::from(d).join(name))
        .find(|p| p.exists())
}

/// The font files for a requested stack (comma-separated names); unknown names fall back to
/// Noto Sans Regular so that labels always render.
fn files_for(stack: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = vec![];
    for name in stack.split(',').map(str::trim) {
        let files = STACKS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)
            .unwrap_or(STACKS[0].1);
        for f in files {
            if !out.contains(f) {
                out.push(f);
            }
        }
    }
    out
}

/// Render one glyph of `face` as an SDF glyph message (the Mapbox glyph conventions: 24 px,
/// 3 px buffer, radius 8, cutoff 0.25); None when the face has no such glyph.
fn sdf_glyph(face: &freetype::Face, code: u32) -> Result<Option<Glyph>, String> {
    use freetype::face::LoadFlag;
    let Some(index) = face.get_char_index(code as usize) else {
        return Ok(None);
    };
    let ascender = face.size_metrics().map_or(0, |m| (m.ascender >> 6) as i32);
    face.load_glyph(index, LoadFlag::NO_HINTING | LoadFlag::RENDER)
        .map_err(|e| e.to_string())?;
    let glyph = face.glyph();
    let bitmap = glyph.bitmap();
    let (w, h) = (bitmap.width() as usize, bitmap.rows() as usize);
    let bm = BitmapGlyph::from_unbuffered(bitmap.buffer(), w, h, 3).map_err(|e| e.to_string())?;
    let sdf = clamp_to_u8(&bm.render_sdf(8), 0.25).map_err(|e| e.to_string())?;
    Ok(Some(Glyph {
        id: code,
        bitmap: Some(sdf),
        width: w as u32,
        height: h as u32,
        left: glyph.bitmap_left(),
        top: glyph.bitmap_top() - ascender,
        advance: (glyph.metrics().horiAdvance >> 6) as u32,
    }))
}

fn render(stack: &str, start: u32) -> Result<Bytes, String> {
    let end = start + 255;
    let lib = freetype::Library::init().map_err(|e| format!("freetype: {e}"))?;
    let mut parts = vec![];
    for file in files_for(stack) {
        let Some(path) = font_file(file) else {
            return Err(format!(
                "font {file} is missing; install Debian's fonts-noto-core (scripts/setup.sh does)"
            ));
        };
        let face = lib
            .new_face(&path, 0)
            .map_err(|e| format!("opening {}: {e}", path.display()))?;
        face.set_char_size(0, 24 << 6, 0, 0)
            .map_err(|e| e.to_string())?;
        let mut glyphs = vec![];
        for code in start..=end {
            if let Some(g) = sdf_glyph(&face, code)? {
                glyphs.push(g);
            }
        }
        parts.push(GlyphsPbf {
            stacks: vec![Fontstack {
                name: file.trim_end_matches(".ttf").to_string(),
                range: format!("{start}-{end}"),
                glyphs,
            }],
        });
    }
    let glyphs = pbf_font_tools::combine_glyphs(parts).unwrap_or_else(|| GlyphsPbf {
        stacks: vec![Fontstack {
            name: stack.to_string(),
            range: format!("{start}-{end}"),
            glyphs: vec![],
        }],
    });
    Ok(Bytes::from(glyphs.encode_to_vec()))
}

/// `GET /fonts/{stack}/{range}.pbf`
pub async fn serve(
    State(svc): State<Arc<TileService>>,
    Path((stack, range)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let bad = || {
        AppError::bad_request(format!(
            "glyph range '{range}' is not <start>-<start+255>.pbf with start a multiple of 256 below 65536"
        ))
    };
    let r = range.strip_suffix(".pbf").ok_or_else(bad)?;
    let (a, b) = r.split_once('-').ok_or_else(bad)?;
    let (start, end): (u32, u32) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    if start % 256 != 0 || end != start + 255 || end > 65535 {
        return Err(bad());
    }
    if stack.len() > 200 {
        return Err(AppError::bad_request("font stack name too long"));
    }
    let key = (stack.clone(), start);
    let body = svc
        .glyphs
        .cache
        .try_get_with(key, async move {
            tokio::task::spawn_blocking(move || render(&stack, start))
                .await
                .map_err(|e| e.to_string())?
        })
        .await
        .map_err(|e| AppError::internal(format!("rendering glyphs {range}"), e.to_string()))?;
    Ok(super::day_cached("application/x-protobuf", body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_arabic_glyphs() {
        let pbf = render("Noto Sans Regular", 1536).expect("fonts-noto-core is installed");
        let g = GlyphsPbf::decode(&pbf[..]).unwrap();
        let ids: Vec<u32> = g.stacks[0].glyphs.iter().map(|g| g.id).collect();
        assert!(ids.contains(&0x0628), "ب is covered");
        let pbf = render("Noto Sans Bold", 0xFE00).unwrap();
        let g = GlyphsPbf::decode(&pbf[..]).unwrap();
        assert!(
            g.stacks[0].glyphs.iter().any(|g| g.id == 0xFE91),
            "presentation forms"
        );
        assert_eq!(files_for("Unknown Font").len(), 2);
    }
}
