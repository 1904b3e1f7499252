//! Headless Chromium driven over the Chrome DevTools Protocol: the map viewer's tests
//! (`e2e_tiles`, `map_browser`). `Browser::launch` starts Chromium (killed when the handle drops,
//! also when the test fails) and opens a `Cdp` session on its page.
use std::{process::Command, time::Duration};

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

/// Chromium, killed when the test ends — also when it fails.
pub struct Browser(std::process::Child, tempfile::TempDir);

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the viewer reports, plus the map's zoom and whether it is still loading.
const STATE: &str = "(() => { const m = window.__mokhattat || {}; const map = m.map; \
    return JSON.stringify({ready: m.ready, renderedFeatures: m.renderedFeatures, lang: m.lang, \
    error: m.error, zoom: map && map.getZoom(), loaded: map && map.loaded(), \
    tilesLoaded: map && map.areTilesLoaded() }); })()";

impl Browser {
    /// Chromium with a `width`×`height` window and a session on its blank page.
    pub async fn launch(width: u32, height: u32) -> (Browser, Cdp) {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new("/usr/bin/chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
                "--enable-unsafe-swiftshader",
                "--hide-scrollbars=false",
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
        let browser = Browser(child, profile);
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
        let targets: Value = reqwest::get(format!("http://127.0.0.1:{port}/json/list"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let page = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .expect("a page target");
        let (ws, _) =
            tokio_tungstenite::connect_async(page["webSocketDebuggerUrl"].as_str().unwrap())
                .await
                .unwrap();
        let mut cdp = Cdp { ws, next: 0 };
        cdp.call("Runtime.enable", json!({})).await;
        cdp.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 700}),
        )
        .await;
        (browser, cdp)
    }
}

/// A minimal Chrome DevTools Protocol session over a page target.
pub struct Cdp {
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next: u64,
}

impl Cdp {
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
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
                    return v["result"].clone();
                }
            }
        }
    }

    pub async fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url })).await;
    }

    pub async fn eval(&mut self, expr: &str) -> Value {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
            )
            .await;
        r["result"]["value"].clone()
    }

    /// Wait until `expr` (in the page) is true, or panic after `secs` with `what`.
    pub async fn wait_for(&mut self, expr: &str, secs: u64, what: &str) {
        for _ in 0..secs * 4 {
            if self.eval(expr).await == true {
                return;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("{what}: not true within {secs} s: {expr}");
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

    /// A PNG of the page (saved under target/screenshots/`name`.png when a name is given).
    pub async fn screenshot(&mut self, name: Option<&str>) -> Vec<u8> {
        let r = self
            .call("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        if let Some(name) = name {
            let dir = super::root().join("target/screenshots");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), &bytes).unwrap();
        }
        bytes
    }

    /// How many distinct colours a screenshot has (sampled): a blank page has one or two.
    pub async fn screenshot_colours(&mut self) -> usize {
        let png = self.screenshot(None).await;
        pixels(&png)
            .chunks(4)
            .step_by(7)
            .map(|c| c.to_vec())
            .collect::<std::collections::HashSet<_>>()
            .len()
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
