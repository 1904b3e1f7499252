use crate::common;

#[tokio::test]
async fn landing_health_metrics() {
    let (_db, srv) = common::empty_server().await;
    let (status, body) = srv.get_json("/").await;
    assert_eq!(status, 200);
    assert!(common::items(&body["links"]).all(|l| l["type"].is_string()));
    let html = srv.get_accept("/", "text/html").await;
    assert!(html.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(html.text().await.unwrap().contains("مخطط"));
    let (status, body) = srv.get_json("/health").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["database"]["status"], "up");
    let metrics = srv.text("/metrics").await;
    assert!(
        metrics.contains("mokhattat_http_requests_total"),
        "{metrics}"
    );
    assert!(metrics.contains("mokhattat_db_pool_connections"));
    let (status, body) = srv.get_json("/no/such/thing").await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "NotFound");
    let r = srv.get("/health").await;
    assert!(r.headers().contains_key("x-request-id"));
}
