//! Headless Chromium driven over the Chrome DevTools Protocol (one page target): launch, navigate,
//! evaluate, wait for the viewer, click and type like a person (real input events), screenshots.
//! Shared by the end-to-end tests of the map viewer (e2e_tiles, map_browser, participation_browser).
use std::{path::PathBuf, process::Command, time::Duration};

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

/// Chromium, killed when the test ends — also when it fails.
pub struct Browser {
    child: std::process::Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the viewer reports, plus the map's zoom and whether it is still loading.
pub const STATE: &str = "(() => { const m = window.__mokhattat || {}; const map = m.map; \
    return JSON.stringify({ready: m.ready, renderedFeatures: m.renderedFeatures, lang: m.lang, \
    error: m.error, zoom: map && map.getZoom(), loaded: map && map.loaded(), \
    tilesLoaded: map && map.areTilesLoaded() }); })()";

/// A minimal Chrome DevTools Protocol session over a page target.
pub struct Cdp {
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next: u64,
}

/// Starts headless Chromium with a window of `width` × `height` and opens a session on its page.
pub async fn launch(width: u32, height: u32) -> (Browser, Cdp) {
    let profile = tempfile::tempdir().unwrap();
    let child = Command::new("/usr/bin/chromium")
        .args([
            "--headless",
            // scrollbars drawn as a person sees them (the embedded map must have none)
            "--hide-scrollbars=false",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--enable-unsafe-swiftshader",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromium is installed");
    let port_file = profile.path().join("DevToolsActivePort");
    let browser = Browser {
        child,
        _profile: profile,
    };
    let mut port = None;
    for _ in 0..100 {
        if let Ok(s) = std::fs::read_to_string(&port_file) {
            if let Some(p) = s.lines().next().and_then(|l| l.parse::<u16>().ok()) {
                port = Some(p);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let port = port.expect("chromium's DevTools port");
    let targets: Value = super::http::get_json(format!("http://127.0.0.1:{port}/json/list")).await;
    let page = targets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "page")
        .expect("a page target");
    let (ws, _) = tokio_tungstenite::connect_async(page["webSocketDebuggerUrl"].as_str().unwrap())
        .await
        .unwrap();
    let mut cdp = Cdp { ws, next: 0 };
    cdp.call("Runtime.enable", json!({})).await;
    (browser, cdp)
}

/// Where screenshots go (kept as CI artefacts): target/screenshots/.
pub fn screenshot_dir() -> PathBuf {
    let d = super::root().join("target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

impl Cdp {
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        match self.try_call(method, &params).await {
            Ok(v) => v,
            Err(e) => panic!("CDP {method} failed: {e}"),
        }
    }

    /// A CDP call whose error is the caller's to handle (a frame that navigated meanwhile).
    pub async fn try_call(&mut self, method: &str, params: &Value) -> Result<Value, Value> {
        self.next += 1;
        let id = self.next;
        let msg = json!({"id": id, "method": method, "params": params}).to_string();
        self.ws.send(Message::text(msg)).await.unwrap();
        loop {
            let m = tokio::time::timeout(Duration::from_secs(60), self.ws.next())
                .await
                .expect("CDP answer")
                .unwrap()
                .unwrap();
            if let Message::Text(t) = m {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["id"] == id {
                    return match v["error"].is_null() {
                        true => Ok(v["result"].clone()),
                        false => Err(v),
                    };
                }
            }
        }
    }

    pub async fn eval(&mut self, expr: &str) -> Value {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true}),
            )
            .await;
        r["result"]["value"].clone()
    }

    pub async fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url })).await;
    }

    /// Wait until the viewer reports a rendered, idle map.
    pub async fn wait_rendered(&mut self) -> Value {
        // Software WebGL on a busy 2-core machine, a debug build of the server: be patient.
        let mut last = Value::Null;
        for _ in 0..480 {
            let s = self.eval(STATE).await;
            let s: Value = serde_json::from_str(s.as_str().unwrap_or("{}")).unwrap_or_default();
            assert!(s["error"].is_null(), "the map reported an error: {s}");
            if s["ready"] == true && s["renderedFeatures"].as_u64().unwrap_or(0) > 0 {
                return s;
            }
            last = s;
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("the map did not render any feature within 120 s; last state: {last}");
    }

    /// Wait until the JavaScript expression `expr` is truthy; its value.
    pub async fn wait_for(&mut self, expr: &str, what: &str) -> Value {
        for _ in 0..240 {
            let v = self.eval(expr).await;
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("{what}: `{expr}` stayed false for 60 s");
    }

    /// Click the first project point on the viewer's map (`/map`); its code, popup link and text.
    pub async fn click_a_project(&mut self) -> (String, String, String) {
        let found = self
            .eval(
                "(() => { const m = window.__mokhattat.map; const r = m.getContainer().getBoundingClientRect(); \
                 const fs = m.queryRenderedFeatures({layers: ['projects-point']}).filter(f => { \
                   const p = m.project(f.geometry.coordinates); return p.x > 40 && p.y > 40 && p.x < r.width - 60 && p.y < r.height - 40; }); \
                 if (!fs.length) return null; const f = fs[0]; const p = m.project(f.geometry.coordinates); \
                 return {code: f.properties.code, status: f.properties.status, x: r.left + p.x, y: r.top + p.y}; })()",
            )
            .await;
        assert!(found.is_object(), "a project point on screen");
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": found["x"], "y": found["y"], "button": "left", "clickCount": 1}),
            )
            .await;
        }
        self.wait_for(
            "!!document.querySelector('.maplibregl-popup a.go')",
            "a popup with a link",
        )
        .await;
        let href = self
            .eval("document.querySelector('.maplibregl-popup a.go').getAttribute('href')")
            .await;
        let text = self
            .eval("document.querySelector('.maplibregl-popup').innerText")
            .await;
        (
            found["code"].as_str().unwrap().to_string(),
            href.as_str().unwrap().to_string(),
            text.as_str().unwrap().to_string(),
        )
    }

    /// A left click at page coordinates, as real mouse events.
    pub async fn click_at(&mut self, x: f64, y: f64) {
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1}),
            )
            .await;
        }
    }

    /// A click in the middle of the first element matching `selector` (which must be visible).
    pub async fn click(&mut self, selector: &str) {
        let expr = format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null; \
             e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); \
             return r.width > 0 ? [r.x + r.width / 2, r.y + r.height / 2] : null; }})()",
            sel = json!(selector)
        );
        let at = self
            .wait_for(&expr, &format!("{selector} is visible"))
            .await;
        self.click_at(at[0].as_f64().unwrap(), at[1].as_f64().unwrap())
            .await;
    }

    /// Types `text` into the focused element, as the keyboard's input method would.
    pub async fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({ "text": text })).await;
    }

    /// Presses and releases a key on the focused element: "Enter", "Escape", "Tab", "ArrowUp"…
    pub async fn press(&mut self, key: &str) {
        let (code, text) = match key {
            "Enter" => (13, "\r"),
            "Escape" => (27, ""),
            "Tab" => (9, ""),
            "ArrowLeft" => (37, ""),
            "ArrowUp" => (38, ""),
            "ArrowRight" => (39, ""),
            "ArrowDown" => (40, ""),
            other => panic!("no key code for {other}"),
        };
        let down = json!({"type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": code, "text": text});
        self.call("Input.dispatchKeyEvent", down).await;
        let up = json!({"type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code});
        self.call("Input.dispatchKeyEvent", up).await;
    }

    /// Emulates a viewport (a phone: `mobile` true).
    pub async fn viewport(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        )
        .await;
    }

    pub async fn screenshot_png(&mut self) -> Vec<u8> {
        let r = self
            .call("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap()
    }

    /// A PNG of the page, also saved as target/screenshots/<name>.png when a name is given.
    pub async fn screenshot(&mut self, name: Option<&str>) -> Vec<u8> {
        let bytes = self.screenshot_png().await;
        if let Some(name) = name {
            std::fs::write(screenshot_dir().join(format!("{name}.png")), &bytes).unwrap();
        }
        bytes
    }

    /// Saves a screenshot as target/screenshots/<name>.png; its number of distinct colours.
    pub async fn save_screenshot(&mut self, name: &str) -> usize {
        colours(&self.screenshot(Some(name)).await)
    }

    pub async fn screenshot_colours(&mut self) -> usize {
        let bytes = self.screenshot_png().await;
        colours(&bytes)
    }
}

/// The RGBA pixels of a PNG.
pub fn pixels(png: &[u8]) -> Vec<u8> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(px)
        .flat_map(|c| [c[0], c[1], c[2], *c.get(3).unwrap_or(&255)])
        .collect()
}

/// Distinct colours of (a sample of) a PNG's pixels: a blank page has one or two.
pub fn colours(png: &[u8]) -> usize {
    pixels(png)
        .chunks(4)
        .step_by(7)
        .map(|c| c.to_vec())
        .collect::<std::collections::HashSet<_>>()
        .len()
}
