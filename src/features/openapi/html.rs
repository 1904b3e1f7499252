//! `/api.html` and `/api?f=html`: the API explorer — Swagger UI (npm `swagger-ui-dist`, vendored
//! by scripts/setup-web.sh and served at `/map/assets/`, no CDN) pointed at `/api`, inside a
//! bilingual (Arabic, French) header. "Try it out" sends requests to this server; a key can be
//! given once under "Authorize" in any of the three ways the server reads it.
use serde_json::Value;

use crate::web::esc;

/// The explorer page; `doc` gives the title and version shown before the script runs.
pub(super) fn render(doc: &Value) -> String {
    let title = esc(doc["info"]["title"].as_str().unwrap_or("API"));
    let version = esc(doc["info"]["version"].as_str().unwrap_or(""));
    format!(
        r#"<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/map/assets/swagger-ui.css">
<style>
body{{margin:0;font-family:system-ui,'Noto Sans','Noto Sans Arabic',sans-serif}}
#intro{{display:flex;gap:2rem;flex-wrap:wrap;padding:1rem 2rem;background:#f4f1ea;border-bottom:1px solid #ddd}}
#intro section{{flex:1 1 20rem}} #intro h1{{font-size:1.4rem;margin:.2rem 0}} #intro p{{margin:.3rem 0}}
#intro a{{color:#0b5cad}}
</style></head><body>
<header id="intro">
<section lang="fr" dir="ltr"><h1>Mokhattat — l'API</h1>
<p>Toutes les routes du serveur, documentées et essayables : ouvrez une opération, « Try it out », puis « Execute ».
Une clé (bouton « Authorize ») est nécessaire pour écrire ; elle élargit aussi ce que les lectures montrent.</p>
<p>Document OpenAPI : <a href="/api">/api</a> · version {version}</p></section>
<section lang="ar" dir="rtl"><h1>مخطط — واجهة البرمجة</h1>
<p>كل مسارات الخادم موثّقة ويمكن تجربتها: افتح عملية، ثم «Try it out» و«Execute».
يلزم مفتاح (زر «Authorize») للكتابة، ويوسّع أيضًا ما تعرضه القراءة.</p>
<p>وثيقة OpenAPI: <a href="/api">/api</a></p></section>
</header>
<div id="swagger-ui"></div>
<script src="/map/assets/swagger-ui-bundle.js"></script>
<script src="/map/assets/api-explorer.js"></script>
</body></html>"#
    )
}
