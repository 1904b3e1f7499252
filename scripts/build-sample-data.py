#!/usr/bin/env python3
"""Assemble sample-data/ from ../shared/data (python3 stdlib only).

Called by scripts/build-sample-data.sh after it has loaded the boundaries into PostGIS (schema
sample_build) and run scripts/build-sample-data.sql. Judgement calls live in
scripts/build-sample-data.rules.py; this file applies them and writes the GeoJSON, the manifest and
build-report.txt.
"""
import argparse
import csv
import json
import os
import re
import runpy
import shutil
import subprocess
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
R = runpy.run_path(os.path.join(HERE, "build-sample-data.rules.py"))

ATTRIBUTION = ("Boundaries © Julia Clark / OpenStreetMap contributors (ODbL). Points of interest © "
               "OpenStreetMap contributors (ODbL). Projects: World Bank, CC BY 4.0. Population: Ministry "
               "of Local Affairs / INS.")
POP_SOURCE_MUN = "Ministère des Affaires locales / INS — estimation au 1er janvier 2019"
POP_SOURCE_GOV = ("Somme des estimations municipales au 1er janvier 2019 (Ministère des Affaires locales / "
                  "INS) ; les 350 communes couvrent tout le territoire")
POP_SOURCE_DEL = ("Estimation dérivée (Mokhattat), pas un chiffre officiel : l'estimation de chaque commune au "
                  "1er janvier 2019 (Ministère des Affaires locales / INS) est répartie entre les délégations "
                  "qu'elle recouvre, 80 % au prorata de la surface de son périmètre communal 2014 dans chacune et "
                  "20 % au prorata de la surface de son extension 2016 (toute au prorata de la surface quand elle "
                  "n'a pas de périmètre 2014) ; arrondi au plus fort reste par gouvernorat")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")

report_lines = []


def say(line=""):
    print(line)
    report_lines.append(line)


# ------------------------------------------------------------------ helpers
def psql(db, sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", db, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\x1f") for line in out.splitlines() if line]


def rnd(c):
    if isinstance(c, (int, float)):
        return round(c, 6)
    return [rnd(x) for x in c]


def geom6(g):
    return {"type": g["type"], "coordinates": rnd(g["coordinates"])}


def multi6(g):
    """Boundaries always as MultiPolygon, the type the schema stores."""
    if g["type"] == "Polygon":
        return {"type": "MultiPolygon", "coordinates": [rnd(g["coordinates"])]}
    return geom6(g)


def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": geom}


def write_fc(out, fname, name, feats):
    path = os.path.join(out, fname)
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","name":%s,"features":[\n' % json.dumps(name))
        f.write(",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in feats))
        f.write("\n]}\n")
    return path


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fold(s):
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]", "", s)


def title_fr(s):
    words = re.split(r"([ \-'/])", " ".join(s.split()).lower())
    out, first = [], True
    for w in words:
        if w and w not in " -'/":
            w = w if (not first and w in R["FRENCH_SMALL_WORDS"]) else w[:1].upper() + w[1:]
            first = False
        out.append(w)
    return "".join(out)


def int_or_none(v):
    return None if v in (None, "") else int(float(v))


def float_or_none(v):
    return None if v in (None, "") else float(v)


def largest_remainder(shares, total):
    """Integers proportional to shares (floats summing to total) that add up to total exactly."""
    floors = {k: int(v) for k, v in shares.items()}
    left = total - sum(floors.values())
    order = sorted(shares, key=lambda k: (-(shares[k] - floors[k]), k))
    for k in order[:left]:
        floors[k] += 1
    return floors


# ------------------------------------------------------------------ boundaries
def build_units(src, out, db):
    if abs(R["URBAN_SHARE"] - 0.8) > 1e-9:
        raise SystemExit("POP_SOURCE_DEL states 80 %: update it with URBAN_SHARE")
    mun_fc = load(os.path.join(src, "boundaries/municipalities_2018.geojson"))
    del_fc = load(os.path.join(src, "boundaries/delegations_2018.geojson"))
    gov_fc = load(os.path.join(src, "boundaries/governorates.geojson"))
    with open(os.path.join(src, "population/municipalities_2019.csv"), encoding="utf-8") as f:
        pop_rows = {int(r["Code_Municipalite"]): r for r in csv.DictReader(f)}

    say("## Municipalities: join with population/municipalities_2019.csv on Code_Municipalite")
    muns, problems = [], 0
    for ft in sorted(mun_fc["features"], key=lambda x: x["properties"]["id_mun_official"]):
        p = ft["properties"]
        code = p["id_mun_official"]
        row = pop_rows.pop(code, None)
        if row is None:
            say(f"  MISSING in CSV: {code} {p['name_fr_official']}")
            problems += 1
            continue
        pop = int(row["Population_Mun_Jan2019"])
        if pop != p["pop_2019_est"]:
            say(f"  population differs for {code}: CSV {pop}, boundary file {p['pop_2019_est']} (CSV used)")
            problems += 1
        if int(row["Code_Gouvernorat"]) != p["gov_id"]:
            say(f"  governorate differs for {code}: CSV {row['Code_Gouvernorat']}, boundary file {p['gov_id']}")
            problems += 1
        name_ar = R["MUNICIPALITY_NAME_AR_FIX"].get(code, p["name_ar_official"])
        if row["Nom_Municipalite_Ar"].strip() != name_ar:
            say(f"  Arabic name differs for {code}: CSV «{row['Nom_Municipalite_Ar'].strip()}», used «{name_ar}»")
        if code in R["MUNICIPALITY_NAME_AR_FIX"]:
            say(f"  Arabic name corrected for {code}: «{p['name_ar_official']}» -> «{name_ar}»")
        muns.append(feature({
            "code": str(code), "parent_code": str(p["gov_id"]), "name_ar": name_ar,
            "name_fr": title_fr(p["name_fr_official"]), "name_en": p["mun_en"],
            "population": pop, "population_year": 2019, "population_source": POP_SOURCE_MUN,
            "pop_2014": p["pop_2014"], "council_seats_2018": p["council_seats_2018"],
            "muni_status_2018": p["muni_status_2018"], "km2": round(p["km2"], 3),
            "name_ar_osm": p["mun_ar"],
        }, multi6(ft["geometry"])))
    for code in pop_rows:
        say(f"  CSV row without a boundary: {code}")
        problems += 1
    say(f"  {len(muns)} municipalities joined, {problems} join problems")

    gov_pop = Counter()
    for m in muns:
        gov_pop[int(m["properties"]["parent_code"])] += m["properties"]["population"]

    govs = []
    for ft in sorted(gov_fc["features"], key=lambda x: x["properties"]["gov_id"]):
        p = ft["properties"]
        g = p["gov_id"]
        govs.append(feature({
            "code": str(g), "name_ar": p["gov_ar"], "name_fr": R["GOVERNORATE_NAME_FR"][g], "name_en": p["gov_en"],
            "population": gov_pop[g], "population_year": 2019, "population_source": POP_SOURCE_GOV,
            "region": p["reg"], "region_en": p["reg_en"], "region_ar": p["reg_ar"], "km2": round(p["km2"], 3),
        }, multi6(ft["geometry"])))

    # delegations: allocate every municipality's population by overlap (see scripts/build-sample-data.sql)
    overlaps = defaultdict(list)
    for code, dl, gov, a_all, a_urban in psql(db, "SELECT code, del, gov, a_all, a_urban FROM sample_build.mun_del"):
        overlaps[int(code)].append((int(dl), int(gov), float(a_all), float(a_urban)))
    mun_pop = {int(m["properties"]["code"]): m["properties"]["population"] for m in muns}
    share = defaultdict(float)
    by_urban = 0
    alpha = R["URBAN_SHARE"]
    for code, pop in mun_pop.items():
        rows = overlaps[code]
        a_all = sum(r[2] for r in rows)
        urban = sum(r[3] for r in rows)
        ext = a_all - urban
        if urban <= 0:
            weights = {r[0]: r[2] / a_all for r in rows}
        elif ext < 0.001 * a_all:
            weights = {r[0]: r[3] / urban for r in rows}
            by_urban += 1
        else:
            weights = {r[0]: alpha * r[3] / urban + (1 - alpha) * (r[2] - r[3]) / ext for r in rows}
            by_urban += 1
        for d, w in weights.items():
            share[d] += pop * w
    dels_by_gov = defaultdict(dict)
    for ft in del_fc["features"]:
        d = int(ft["properties"]["del_id"])
        dels_by_gov[int(ft["properties"]["gov_id"])][d] = share.get(d, 0.0)
    del_pop = {}
    for g, shares in dels_by_gov.items():
        del_pop.update(largest_remainder(shares, gov_pop[g]))
    dels = []
    for ft in sorted(del_fc["features"], key=lambda x: x["properties"]["del_id"]):
        p = ft["properties"]
        d = int(p["del_id"])
        dels.append(feature({
            "code": str(d), "parent_code": str(int(p["gov_id"])), "name_ar": p["del_ar"], "name_fr": p["del_en"],
            "name_en": p["del_en"], "population": del_pop[d], "population_year": 2019,
            "population_source": POP_SOURCE_DEL, "district_code": str(int(p["dis_id"])), "district_en": p["dis_en"],
            "district_ar": p["dis_ar"], "km2": round(p["km2"], 3),
        }, multi6(ft["geometry"])))
    say()
    say("## Population")
    say(f"  national total (sum of municipalities): {sum(mun_pop.values())}")
    say(f"  delegations: {by_urban} municipalities allocated {R['URBAN_SHARE']:.0%} by their 2014 perimeter and "
        f"the rest by their extension, {len(mun_pop) - by_urban} (no 2014 perimeter) by area")
    for g in sorted(gov_pop):
        s = sum(del_pop[d] for d in dels_by_gov[g])
        if s != gov_pop[g]:
            raise SystemExit(f"delegations of {g} add up to {s}, governorate {gov_pop[g]}")
    say("  every governorate: sum of delegations == governorate == sum of municipalities")
    zero = [d for d, v in del_pop.items() if v == 0]
    say(f"  delegations with population 0: {zero or 'none'}")

    write_fc(out, "governorates.geojson", "governorates", govs)
    write_fc(out, "delegations.geojson", "delegations", dels)
    write_fc(out, "municipalities.geojson", "municipalities", muns)
    return muns, dels, govs


def build_landuse(out, db):
    labels = {"P2014": ("urban_perimeter_2014", "Périmètre communal 2014", "المنطقة البلدية 2014"),
              "E2016": ("extension_2016", "Extension communale 2016", "التوسعة البلدية 2016")}
    feats = []
    for code, zone, gj in psql(db, "SELECT code, zone_code, ST_AsGeoJSON(geom, 6) FROM sample_build.zone "
                                   "ORDER BY code, zone_code DESC"):
        cls, fr, ar = labels[zone]
        feats.append(feature({"id": f"{code}-{zone}", "zone_code": zone, "class": cls, "municipality_code": code,
                              "label_fr": fr, "label_ar": ar}, json.loads(gj)))
    write_fc(out, "landuse_perimeters.geojson", "landuse_perimeters", feats)
    say()
    say("## Land use (2014 perimeters / 2016 extensions)")
    say(f"  zones: {Counter(f['properties']['zone_code'] for f in feats)}")
    n, a_mun, gap, overlap, min_part = psql(db, """
        SELECT count(*), sum(a_mun), max(abs(a_mun - a_zones)), max(a_overlap), min(min_part)
        FROM sample_build.zone_check""")[0]
    say(f"  {n} municipalities, {float(a_mun) / 1e6:.1f} km²; largest |zones - municipality| "
        f"{float(gap):.1f} m², largest P2014∩E2016 {float(overlap):.3f} m², smallest zone part {float(min_part):.0f} m²")
    return feats


def split_name(name):
    """(name_ar, name_fr) from an OSM name that may be Arabic, Latin or both ("Municipalité بلدية تطاوين")."""
    if not name:
        return None, None
    has_ar, has_lat = bool(ARABIC.search(name)), bool(LATIN.search(name))
    if has_ar and has_lat:
        i = ARABIC.search(name).start()
        before, after = name[:i].strip(" -–—/|"), name[i:].strip(" -–—/|")
        if before and not ARABIC.search(before) and not LATIN.search(after):
            return after, before
        return name, None
    return (name, None) if has_ar else (None, name) if has_lat else (None, None)


def build_facilities(src, out):
    fc = load(os.path.join(src, "facilities/osm_poi_2019.geojson"))
    kinds = R["FACILITY_KINDS"]
    feats = []
    for ft in sorted(fc["features"], key=lambda x: x["properties"]["osm_node_id"]):
        p = ft["properties"]
        if p["tag"] != "amenity" or p["value"] not in kinds:
            continue
        name_ar, name_fr = split_name(p["name"])
        feats.append(feature({
            "id": f"osm:node/{p['osm_node_id']}", "kind": kinds[p["value"]], "subtype": p["value"],
            "name": p["name"], "name_ar": name_ar, "name_fr": name_fr or p["name_en"],
        }, geom6(ft["geometry"])))
    write_fc(out, "facilities.geojson", "facilities", feats)
    say()
    say("## Facilities (OSM amenity=…)")
    say(f"  {len(feats)} of {len(fc['features'])} points kept (power towers/poles and all else left out)")
    say(f"  by kind: {dict(sorted(Counter(f['properties']['kind'] for f in feats).items()))}")
    say(f"  by subtype: {dict(sorted(Counter(f['properties']['subtype'] for f in feats).items()))}")
    say(f"  named: {sum(1 for f in feats if f['properties']['name'])}, with name_ar "
        f"{sum(1 for f in feats if f['properties']['name_ar'])}, with name_fr "
        f"{sum(1 for f in feats if f['properties']['name_fr'])}")
    return feats


def attribution(what):
    return {
        "governorates": "Julia Clark, Tunisia Shapefiles (ODbL 1.0), from OpenStreetMap contributors; population: "
                        "Ministry of Local Affairs / INS, sum of municipal estimates Jan 2019",
        "delegations": "Julia Clark, Tunisia Shapefiles (ODbL 1.0), from OpenStreetMap contributors; population: "
                       "derived by Mokhattat from Ministry of Local Affairs / INS municipal estimates Jan 2019",
        "municipalities": "Julia Clark, Tunisia Shapefiles (ODbL 1.0), from OpenStreetMap contributors, official "
                          "codes from the Ministry of Local Affairs; population: Ministry of Local Affairs / INS, "
                          "estimate Jan 2019",
        "landuse": "Derived by Mokhattat from Julia Clark, Tunisia Shapefiles (ODbL 1.0): 2018 municipalities and "
                   "2014 communal perimeters. Not a zoning plan.",
        "facilities": "© OpenStreetMap contributors (ODbL 1.0), 2019 extract",
        "projects": "World Bank Projects & Operations, CC BY 4.0 (snapshot March 2025)",
    }[what]


def write_manifest(out):
    def imp(fname, as_, *extra):
        return {"args": [fname, "--as", as_, *extra, "--source", attribution(as_)]}

    manifest = {"imports": [
        # real-world validity (docs/dates.md): the 24 governorates since La Manouba (2000), the 2018
        # delegations snapshot, the 350 municipalities of the 6 May 2018 municipal elections
        imp("governorates.geojson", "governorates", "--valid-from", "2000-01-01"),
        imp("delegations.geojson", "delegations", "--valid-from", "2018-01-01"),
        imp("municipalities.geojson", "municipalities", "--valid-from", "2018-05-06"),
        imp("landuse_perimeters.geojson", "landuse", "--landuse-slug", "perimeters-2014", "--landuse-name",
            "Périmètres communaux 2014 / extensions 2016", "--landuse-kind", "perimeter",
            "--approved-on", "2014-01-01"),
        imp("facilities.geojson", "facilities"),
        imp("projects.geojson", "projects"),
    ]}
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--src", required=True, help="the shared data folder (read only)")
    ap.add_argument("--out", required=True, help="sample-data/")
    ap.add_argument("--db", required=True, help="DATABASE_URL where build-sample-data.sql has run")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    say("# sample-data build report (written by scripts/build-sample-data.sh; do not edit)")
    say()
    muns, dels, govs = build_units(a.src, a.out, a.db)
    build_landuse(a.out, a.db)
    build_facilities(a.src, a.out)
    projects = runpy.run_path(os.path.join(HERE, "build-sample-data.projects.py"), init_globals={
        "R": R, "say": say, "psql": psql, "fold": fold, "feature": feature, "geom6": geom6,
        "write_fc": write_fc, "load": load, "int_or_none": int_or_none, "float_or_none": float_or_none,
    })
    projects["build_projects"](a.src, a.out, a.db, muns, dels, govs)
    write_manifest(a.out)
    shutil.copyfile(os.path.join(a.src, "boundaries/sectors_2018_attributes.csv"),
                    os.path.join(a.out, "sectors_2018_attributes.csv"))
    say()
    say("## Files")
    for fname in sorted(os.listdir(a.out)):
        if fname not in ("build-report.txt", "README.md"):
            say(f"  {fname}: {os.path.getsize(os.path.join(a.out, fname)) / 1e6:.2f} MB")
    with open(os.path.join(a.out, "build-report.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(report_lines) + "\n")


if __name__ == "__main__":
    main()
