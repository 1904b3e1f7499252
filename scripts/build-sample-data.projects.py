# World Bank projects -> sample-data/projects.geojson. Run by scripts/build-sample-data.py through
# runpy with its helpers (R, say, psql, fold, feature, geom6, write_fc, load, int_or_none, float_or_none)
# injected as globals. The rules and tables applied here are in scripts/build-sample-data.rules.py.
import csv
import os
import re
from collections import Counter, OrderedDict, defaultdict


def parse_sectors(s):
    """'FY17 - Water Supply (90.0%); FY17 - Sanitation (10.0%)' -> [('Water Supply', 90.0), ...]"""
    out = []
    for part in (s or "").split(";"):
        m = re.match(r"\s*(?:FY\d+ - )?(.*?)\s*\(([\d.]+)%\)\s*$", part)
        if m:
            out.append((m.group(1), float(m.group(2))))
    return out


def theme_of(pid, sectors):
    if pid in R["THEME_OVERRIDES"]:
        return R["THEME_OVERRIDES"][pid][0]
    score = OrderedDict()
    for name, pct in sectors:
        if name not in R["SECTOR_THEME"]:
            raise SystemExit(f"{pid}: sector {name!r} has no theme in build-sample-data.rules.py")
        t = R["SECTOR_THEME"][name]
        score[t] = score.get(t, 0) + pct
    return max(score, key=lambda t: score[t]) if score else None


def type_of(pid, sectors, instrument, title):
    if pid in R["TYPE_OVERRIDES"]:
        return R["TYPE_OVERRIDES"][pid][0]
    if instrument in R["PROGRAMME_INSTRUMENTS"] or re.search(R["PROGRAMME_TITLE_WORDS"], title or ""):
        return "programme"
    if not sectors:
        return "programme"
    top = max(sectors, key=lambda s: s[1])  # first of the largest
    return R["SECTOR_TYPE"].get(top[0], "programme")


def gov_key(name):
    n = name.strip()
    n = re.sub(r"^Gouvernorat de\s+(l['’]\s*|la\s+|le\s+)?", "", n, flags=re.I)
    n = re.sub(r"\s+Governorate$", "", n, flags=re.I)
    return fold(n)


def is_gov_name(name):
    return bool(name) and bool(re.match(r"^Gouvernorat de |.* Governorate$", name.strip(), re.I))


def classify(name, geonames_id, names_by_id, gov_codes, mun_codes, del_codes):
    """-> (precision, unit_code, rule)"""
    group = names_by_id.get(geonames_id, set()) - {None}
    if name in R["NATIONAL_NAMES"] or geonames_id == R["COUNTRY_GEONAMES_ID"]:
        return "national", None, "national name or country id"
    gov_names = [n for n in ([name] if name else []) + sorted(group) if is_gov_name(n)]
    if gov_names:
        key = gov_key(gov_names[0])
        code = gov_codes.get(key) or R["GOVERNORATE_ALIASES"].get(key)
        rule = "governorate name" if is_gov_name(name) else f"same GeoNames id as «{gov_names[0]}»"
        return "governorate", (str(code) if code else None), rule
    if not name:
        return "national", None, "no name, id used by no other row"
    if name in R["PLACE_OVERRIDES"]:
        prec, code, why = R["PLACE_OVERRIDES"][name]
        return prec, code, f"override: {why}"
    key = fold(name)
    if key in mun_codes and mun_codes[key] is not None:
        return "municipality", mun_codes[key], "municipality name"
    if key in del_codes and del_codes[key] is not None:
        return "delegation", del_codes[key], "delegation name"
    if re.search(R["EXACT_WORDS"], name, re.I):
        return "exact", None, "site word in the name"
    return "approximate", None, "unclassified"


def keys(pairs):
    """{folded name: code}, None where two units share a folded name."""
    out = {}
    for name, code in pairs:
        k = fold(name)
        if k and k in out and out[k] != code:
            out[k] = None
        elif k:
            out[k] = code
    return out


def build_projects(src, out, db, muns, dels, govs):
    loc_fc = load(os.path.join(src, "projects/world_bank_locations_2025.geojson"))
    with open(os.path.join(src, "projects/world_bank_projects_2025.csv"), encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}

    gov_codes = {}
    for g in govs:
        p = g["properties"]
        for n in (p["name_en"], p["name_fr"], re.sub(r"^(La|Le|L')\s*", "", p["name_fr"])):
            gov_codes[fold(n)] = int(p["code"])
    mun_codes = keys([(m["properties"][k], m["properties"]["code"]) for m in muns for k in ("name_fr", "name_en")])
    del_codes = keys([(d["properties"]["name_en"], d["properties"]["code"]) for d in dels])
    unit_names = {("municipality", m["properties"]["code"]): m["properties"]["name_fr"] for m in muns}
    unit_names.update({("delegation", d["properties"]["code"]): d["properties"]["name_en"] for d in dels})
    unit_names.update({("governorate", g["properties"]["code"]): g["properties"]["name_fr"] for g in govs})

    names_by_id = defaultdict(set)
    for ft in loc_fc["features"]:
        names_by_id[ft["properties"]["geo_loc_id"]].add(ft["properties"]["geo_loc_name"])

    # one location per (project, GeoNames id): the source repeats P132157's Tozeur point three times
    locs = OrderedDict()
    for ft in loc_fc["features"]:
        p = ft["properties"]
        k = (p["project_id"], p["geo_loc_id"])
        if k in locs:
            locs[k][0]["place_ids"].append(p["place_id"])
        else:
            locs[k] = (dict(p, place_ids=[p["place_id"]]), ft["geometry"])

    feats, classes, not_in_csv, unmatched = [], {}, set(), []
    for (pid, geo_id), (p, geom) in locs.items():
        r = rows.get(pid)
        if r is None:
            not_in_csv.add(pid)
        src_row = r or p
        title = re.sub(r"\s+", " ", src_row["project_name"]).strip()
        sectors = parse_sectors(src_row["sectors"])
        instrument = src_row.get("lendinginstr") or None
        commit = float_or_none(src_row["curr_total_commitment"])
        if r is not None:
            loans = (float_or_none(r["curr_ibrd_commitment"]) or 0) + (float_or_none(r["idacommamt"]) or 0)
            grants = float_or_none(r["grantamt"]) or 0
            kind = "donor_loan" if loans > 0 else "donor_grant" if grants > 0 else None
        else:
            kind = "other"  # regional/global operation absent from the country list: loan or grant unknown
        if not commit:
            commit, kind = None, None
        name = p["geo_loc_name"]
        prec, unit, rule = classify(name, geo_id, names_by_id, gov_codes, mun_codes, del_codes)
        if prec in ("governorate", "municipality", "delegation") and (unit is None or (prec, unit) not in unit_names):
            unmatched.append((name, prec, unit))
        classes.setdefault((name, prec, unit, rule), 0)
        classes[(name, prec, unit, rule)] += 1
        pdo = ((r or {}).get("pdo") or "").strip()
        if re.match(R["PDO_NOT_A_DESCRIPTION"], pdo):
            pdo = ""
        budget = round(commit * R["USD_TO_TND"], 3) if commit else None
        feats.append(feature({
            "code": pid, "location_id": geo_id, "title_en": title,
            "description_en": re.sub(r"\s+", " ", pdo) or None,
            "theme": theme_of(pid, sectors), "project_type": type_of(pid, sectors, instrument, title),
            "owner": (src_row.get("impagency") or "").strip() or None, "partner": "world-bank",
            "status": R["STATUS"][src_row["status"]],
            "planned_start": (src_row["boardapprovaldate"] or "")[:10] or None,
            "planned_end": (src_row["closingdate"] or "")[:10] or None,
            "budget_tnd": budget, "funding_kind": kind, "funder": "World Bank" if kind else None,
            "funding_amount": commit, "funding_currency": "USD" if kind else None, "funding_amount_tnd": budget,
            "is_public": True, "place_name": name, "precision": prec, "unit_code": unit,
            "geonames_id": geo_id, "place_ids": ",".join(p["place_ids"]), "major_sectors": src_row["major_sectors"],
            "sectors": src_row["sectors"], "lending_instrument": instrument,
            "wb_status": src_row["status"],
        }, geom6(geom)))
    write_fc(out, "projects.geojson", "projects", feats)

    say()
    say("## Projects (World Bank)")
    say(f"  {len(loc_fc['features'])} source points -> {len(feats)} locations "
        f"({len(loc_fc['features']) - len(feats)} exact duplicates merged), "
        f"{len({f['properties']['code'] for f in feats})} projects")
    say(f"  projects not in world_bank_projects_2025.csv (fields taken from the locations file, funding_kind "
        f"'other', no PDO): {len(not_in_csv)}: {', '.join(sorted(not_in_csv))}")
    per_project = {f["properties"]["code"]: f["properties"] for f in feats}
    for field in ("theme", "project_type", "status", "funding_kind"):
        say(f"  {field} (projects): {dict(Counter(str(p[field]) for p in per_project.values()).most_common())}")
    say(f"  precision (locations): {dict(Counter(f['properties']['precision'] for f in feats).most_common())}")
    say(f"  unmatched unit names: {unmatched or 'none'}")
    say()
    say("  place name | locations | precision | unit | rule")
    for (name, prec, unit, rule), n in sorted(classes.items(), key=lambda x: (x[0][1], str(x[0][0]))):
        uname = unit_names.get((prec, unit), "")
        say(f"  {name} | {n} | {prec} | {unit or ''} {uname} | {rule}")
    check_points(db, feats)
    return feats


def check_points(db, feats):
    """Distance from each unit-level point to the unit it stands for (0 = inside)."""
    values = []
    for f in feats:
        p = f["properties"]
        if p["precision"] in ("municipality", "delegation", "governorate") and p["unit_code"]:
            x, y = f["geometry"]["coordinates"]
            values.append(f"('{p['precision']}', {int(p['unit_code'])}, {float(x)}, {float(y)}, "
                          f"$n${p['place_name'] or ''}$n$, '{p['code']}')")
    if not values:
        return
    sql = f"""
      WITH pts(level, code, x, y, name, pid) AS (VALUES {", ".join(values)}),
      units AS (SELECT 'municipality' AS level, code, geom FROM sample_build.m
                UNION ALL SELECT 'delegation', del_id::int, geom FROM sample_build.del
                UNION ALL SELECT 'governorate', gov_id::int, geom FROM sample_build.gov)
      SELECT level, code, name, string_agg(DISTINCT pid, ','), d FROM (
        SELECT pts.level, pts.code, pts.name, pts.pid,
               round(ST_Distance(u.geom::geography, ST_SetSRID(ST_MakePoint(x, y), 4326)::geography)) AS d
        FROM pts JOIN units u USING (level, code)) s
      WHERE d > 0 GROUP BY 1, 2, 3, 5
      ORDER BY 5 DESC"""
    res = psql(db, sql)
    say()
    say(f"  unit-level points lying outside the unit they stand for: {len(res)}")
    for level, code, name, pids, dist in res:
        say(f"    {name} ({pids}) -> {level} {code}: {float(dist) / 1000:.1f} km outside")
