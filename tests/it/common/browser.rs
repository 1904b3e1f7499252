//! Headless Chromium driven over the Chrome DevTools Protocol: [`open`] starts it (killed when the
//! returned [`Browser`] drops, also when a test fails) and hands a [`Cdp`] session on its page.
use std::{process::Command, time::Duration};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

/// Chromium and its profile directory, both gone when dropped.
pub struct Browser(std::process::Child, #[allow(dead_code)] tempfile::TempDir);

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A minimal Chrome DevTools Protocol session over a page target.
pub struct Cdp {
    pub ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    pub next: u64,
}

/// Start headless Chromium at `width`×`height` on a blank page; the session has `Runtime` enabled.
pub async fn open(width: u32, height: u32) -> (Browser, Cdp) {
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
    let (ws, _) = tokio_tungstenite::connect_async(page["webSocketDebuggerUrl"].as_str().unwrap())
        .await
        .unwrap();
    let mut cdp = Cdp { ws, next: 0 };
    cdp.call("Runtime.enable", json!({})).await;
    (browser, cdp)
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

    pub async fn eval(&mut self, expr: &str) -> Value {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true}),
            )
            .await;
        r["result"]["value"].clone()
    }

    /// Evaluate `expr` every 250 ms until it is `true`; panics with `what` after `secs`.
    pub async fn wait_for(&mut self, expr: &str, secs: u64, what: &str) {
        for _ in 0..secs * 4 {
            if self.eval(expr).await == true {
                return;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let text = self
            .eval("document.body ? document.body.innerText.slice(0, 2000) : ''")
            .await;
        panic!("{what}: not true within {secs} s: {expr}\npage text: {text}");
    }

    /// A PNG screenshot of the page, as bytes.
    pub async fn screenshot(&mut self) -> Vec<u8> {
        use base64::Engine;
        let r = self
            .call("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap()
    }
}
