"""Load an OGC API – Features collection with QGIS's own `OAPIF` provider (headless) and print every
feature as one JSON line: {"fid": ..., "attributes": {...}, "wkt_type": ...}. The last line is a
summary: {"summary": {"count": N, "fields": [...], "geometry_type": ..., "valid": bool}}.

Usage (Debian's python, which has PyQGIS): QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_oapif.py BASE COLLECTION [PAGE_SIZE]
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsFeatureRequest, QgsVectorLayer, QgsWkbTypes  # noqa: E402


def main():
    base, name = sys.argv[1], sys.argv[2]
    page = sys.argv[3] if len(sys.argv) > 3 else "0"
    app = QgsApplication([], False)
    app.initQgis()
    uri = f"pagingEnabled='true' pageSize='{page}' restrictToRequestBBOX='0' typename='{name}' url='{base}'"
    layer = QgsVectorLayer(uri, name, "OAPIF")
    if not layer.isValid():
        print(json.dumps({"summary": {"valid": False, "error": layer.error().summary()}}))
        sys.exit(2)
    fields = [f.name() for f in layer.fields()]
    n = 0
    for f in layer.getFeatures(QgsFeatureRequest()):
        attrs = {}
        for k in fields:
            v = f[k]
            if v is None or (hasattr(v, "isNull") and v.isNull()):
                v = None
            elif hasattr(v, "toString") and not isinstance(v, str):
                v = v.toString("yyyy-MM-ddTHH:mm:ss")
            elif not isinstance(v, (int, float, str, bool)):
                v = str(v)
            attrs[k] = v
        geom = f.geometry()
        print(json.dumps({"attributes": attrs, "geometry_type": QgsWkbTypes.displayString(geom.wkbType()) if not geom.isNull() else None}, ensure_ascii=False))
        n += 1
    print(json.dumps({"summary": {"valid": True, "count": n, "fields": fields,
                                  "geometry_type": QgsWkbTypes.displayString(layer.wkbType()),
                                  "feature_count": layer.featureCount()}}))
    sys.stdout.flush()
    # QgsApplication.exitQgis() crashes on exit in headless 3.22; the work is done and flushed
    os._exit(0)


if __name__ == "__main__":
    main()
