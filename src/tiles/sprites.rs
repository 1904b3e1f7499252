//! The style's sprite sheet (facility icons), drawn by code at first use — no binary in the
//! repository. `GET /styles/sprites/planning{,@2x}.{json,png}`.
use std::sync::{Arc, OnceLock};

use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use serde_json::json;

use super::TileService;
use crate::error::AppError;

/// Icon names and their colours: the facility palette, chosen apart from the project statuses'
/// (teal, wine, violet, yellow, black, pink; rounded squares, where projects are round).
/// The same colours are in src/web/map/i18n.js (legend) and styles/planning-qgis.json.
const ICONS: &[(&str, [u8; 3])] = &[
    ("school", [0x00, 0x79, 0x6b]),
    ("health", [0x88, 0x0e, 0x4f]),
    ("administration", [0x62, 0x00, 0xea]),
    ("post", [0xff, 0xd6, 0x00]),
    ("police", [0x21, 0x21, 0x21]),
    ("other", [0xf4, 0x8f, 0xb1]),
];
const SIZE: u32 = 21;

#[derive(Default)]
pub struct Sprites {
    sheets: OnceLock<[(Bytes, Bytes); 2]>,
}

/// What covers a point (u, v in -1..1, v downwards) of icon `name`: 0 nothing, 1 ring,
/// 2 rounded square, 3 glyph.
fn inside(name: &str, u: f64, v: f64) -> u8 {
    let r = (u.abs().powi(4) + v.abs().powi(4)).powf(0.25);
    if r > 0.97 {
        return 0;
    }
    if r > 0.82 {
        return 1;
    }
    let rect = |x0: f64, y0: f64, x1: f64, y1: f64| u >= x0 && u <= x1 && v >= y0 && v <= y1;
    let glyph = match name {
        // a house: roof and walls
        "school" => {
            ((-0.5..=0.05).contains(&v) && u.abs() <= (v + 0.5) * 1.1)
                || rect(-0.32, 0.05, 0.32, 0.45)
        }
        // a cross
        "health" => rect(-0.14, -0.5, 0.14, 0.5) || rect(-0.5, -0.14, 0.5, 0.14),
        // a portico: pediment, three columns, base
        "administration" => {
            rect(-0.55, -0.5, 0.55, -0.32)
                || [-0.36, 0.0, 0.36]
                    .iter()
                    .any(|c| rect(c - 0.08, -0.32, c + 0.08, 0.33))
                || rect(-0.55, 0.33, 0.55, 0.48)
        }
        // an envelope, its flap drawn in the disc colour
        "post" => {
            let flap = (v - (-0.33 + (0.5 - u.abs()) * 0.76)).abs() < 0.08;
            rect(-0.52, -0.36, 0.52, 0.36) && !flap
        }
        // a shield
        "police" => {
            rect(-0.4, -0.48, 0.4, 0.05) || (v > 0.05 && v < 0.52 && u.abs() <= (0.52 - v) * 0.85)
        }
        _ => r < 0.3,
    };
    if glyph {
        3
    } else {
        2
    }
}

fn draw(scale: u32) -> (Bytes, Bytes) {
    let s = SIZE * scale;
    let (w, h) = (s * ICONS.len() as u32, s);
    let mut rgba = vec![0u8; (w * h * 4) as usize];
    let mut index = serde_json::Map::new();
    const SS: u32 = 4;
    for (i, (name, colour)) in ICONS.iter().enumerate() {
        let x0 = i as u32 * s;
        index.insert(
            name.to_string(),
            json!({"x": x0, "y": 0, "width": s, "height": s, "pixelRatio": scale}),
        );
        for py in 0..s {
            for px in 0..s {
                let (mut acc, mut cover) = ([0f64; 3], 0f64);
                for sy in 0..SS {
                    for sx in 0..SS {
                        let u = ((f64::from(px) + (f64::from(sx) + 0.5) / f64::from(SS))
                            / f64::from(s))
                            * 2.0
                            - 1.0;
                        let v = ((f64::from(py) + (f64::from(sy) + 0.5) / f64::from(SS))
                            / f64::from(s))
                            * 2.0
                            - 1.0;
                        let c = match inside(name, u, v) {
                            0 => continue,
                            2 => *colour,
                            _ => [255, 255, 255],
                        };
                        for k in 0..3 {
                            acc[k] += f64::from(c[k]);
                        }
                        cover += 1.0;
                    }
                }
                if cover > 0.0 {
                    let o = (((py * w) + x0 + px) * 4) as usize;
                    for k in 0..3 {
                        rgba[o + k] = (acc[k] / cover).round() as u8;
                    }
                    rgba[o + 3] = (cover / f64::from(SS * SS) * 255.0).round() as u8;
                }
            }
        }
    }
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let written = enc
            .write_header()
            .and_then(|mut wr| wr.write_image_data(&rgba));
        if let Err(e) = written {
            tracing::error!(error = %e, "could not encode the sprite sheet");
        }
    }
    (
        Bytes::from(serde_json::Value::Object(index).to_string()),
        Bytes::from(png_bytes),
    )
}

impl Sprites {
    fn sheets(&self) -> &[(Bytes, Bytes); 2] {
        self.sheets.get_or_init(|| [draw(1), draw(2)])
    }
}

/// `GET /styles/sprites/{file}`
pub async fn serve(
    State(svc): State<Arc<TileService>>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let (ratio, ext) = match file.as_str() {
        "planning.json" => (0, "json"),
        "planning.png" => (0, "png"),
        "planning@2x.json" => (1, "json"),
        "planning@2x.png" => (1, "png"),
        _ => {
            return Err(AppError::not_found(format!(
                "no sprite file '{file}'; the sprite is planning(.json|.png|@2x.json|@2x.png)"
            )))
        }
    };
    let (json, png) = &svc.sprites.sheets()[ratio];
    let (ctype, body) = if ext == "json" {
        ("application/json", json.clone())
    } else {
        ("image/png", png.clone())
    };
    Ok(super::day_cached(ctype, body))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sheet_has_every_icon() {
        let (json, png) = super::draw(2);
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v.as_object().unwrap().len(), super::ICONS.len());
        assert_eq!(v["health"]["width"], 42);
        assert_eq!(&png[1..4], b"PNG");
    }
}
