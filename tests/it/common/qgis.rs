//! Headless QGIS (python3-qgis, offscreen): a vector tile layer drawn with a MapLibre style
//! converted by QGIS, over Tunis; its validity, conversion warnings, render errors and colours.
use std::path::Path;

use serde_json::Value;

const RENDER: &str = r#"
import json, sys, urllib.request
from qgis.core import (QgsApplication, QgsVectorTileLayer, QgsMapBoxGlStyleConverter,
    QgsMapBoxGlStyleConversionContext, QgsMapSettings, QgsMapRendererSequentialJob,
    QgsRectangle, QgsCoordinateReferenceSystem)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
uri, style_at, out = sys.argv[1], sys.argv[2], sys.argv[3]
app = QgsApplication([], False)
app.initQgis()
layer = QgsVectorTileLayer(uri, "mokhattat")
style = json.load(urllib.request.urlopen(style_at) if style_at.startswith("http") else open(style_at))
conv = QgsMapBoxGlStyleConverter()
res = conv.convert(style, QgsMapBoxGlStyleConversionContext())
layer.setRenderer(conv.renderer())
if conv.labeling():
    layer.setLabeling(conv.labeling())
settings = QgsMapSettings()
settings.setLayers([layer])
settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
settings.setExtent(QgsRectangle(1118800, 4401000, 1152200, 4425000))  # Tunis
settings.setOutputSize(QSize(800, 575))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
img = job.renderedImage()
img.save(out)
colours = {img.pixel(x, y) for x in range(0, img.width(), 4) for y in range(0, img.height(), 4)}
print(json.dumps({"valid": layer.isValid(), "converted": res == 0, "warnings": conv.warnings(),
                  "errors": [e.message for e in job.errors()], "colours": len(colours)}))
app.exitQgis()
"#;

/// Render layer `uri` (QgsVectorTileLayer data source) with the style at `style` (a URL or a
/// file) into the PNG `png`; the script's report.
pub async fn render(uri: &str, style: &str, png: &Path) -> Value {
    let dir = tempfile::tempdir_in(super::tmp_dir()).unwrap();
    let script = dir.path().join("render.py");
    std::fs::write(&script, RENDER).unwrap();
    let out = tokio::process::Command::new("/usr/bin/python3")
        .arg(&script)
        .args([uri, style])
        .arg(png)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .output()
        .await
        .expect("python3-qgis is installed");
    let stdout = super::ok_stdout(&out);
    serde_json::from_str(stdout.lines().last().unwrap_or("")).expect(&stdout)
}
