#!/usr/bin/env python3
"""Runs Nixtla's statsforecast on an M4 wide CSV as the peer of
`storepilot forecast predict`, writing the same `id,F1..FH` format so that
`storepilot forecast eval` scores both identically.

  python bench/forecast/statsforecast_peer.py --input TRAIN.csv --horizon 48 \
      --season 24 --out-dir /tmp/peer [--models SeasonalNaive,AutoETS,MSTL]

Prints one line per model: name, wall seconds (fit + forecast, after a
warm-up on two series so numba's compile time is not counted) and the file.
Needs `pip install statsforecast` (kept out of the project's dependencies:
peers live only in bench/).
"""
import argparse
import csv
import os
import time

import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import MSTL, AutoETS, AutoTheta, SeasonalNaive


def read_wide(path):
    ids, values = [], []
    with open(path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for row in reader:
            ids.append(row[0])
            values.append([float(v) for v in row[1:] if v != ""])
    return ids, values


def to_long(ids, values):
    frames = []
    for uid, vals in zip(ids, values):
        frames.append(pd.DataFrame({"unique_id": uid, "ds": range(len(vals)), "y": vals}))
    return pd.concat(frames, ignore_index=True)


def make_model(name, season, weekly):
    if name == "SeasonalNaive":
        return SeasonalNaive(season_length=season)
    if name == "AutoETS":
        return AutoETS(season_length=season)
    if name == "AutoTheta":
        return AutoTheta(season_length=season)
    if name == "MSTL":
        periods = [season, weekly] if weekly else [season]
        return MSTL(season_length=periods, trend_forecaster=AutoETS(model="ZZN"))
    raise ValueError(name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--horizon", type=int, required=True)
    ap.add_argument("--season", type=int, default=1)
    ap.add_argument("--weekly", type=int, default=0,
                    help="second MSTL period (e.g. 168 for hourly data)")
    ap.add_argument("--models", default="SeasonalNaive,AutoETS,MSTL")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--n-jobs", type=int, default=2)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    ids, values = read_wide(args.input)
    df = to_long(ids, values)
    warm = df[df.unique_id.isin(ids[:2])]
    for name in args.models.split(","):
        model = make_model(name, args.season, args.weekly)
        StatsForecast(models=[model], freq=1, n_jobs=1).forecast(df=warm, h=args.horizon)
        sf = StatsForecast(models=[make_model(name, args.season, args.weekly)],
                           freq=1, n_jobs=args.n_jobs)
        start = time.perf_counter()
        fc = sf.forecast(df=df, h=args.horizon)
        secs = time.perf_counter() - start
        col = [c for c in fc.columns if c not in ("unique_id", "ds")][0]
        fc = fc.reset_index() if "unique_id" not in fc.columns else fc
        out = os.path.join(args.out_dir, f"{name}.csv")
        with open(out, "w") as f:
            f.write("id," + ",".join(f"F{h}" for h in range(1, args.horizon + 1)) + "\n")
            for uid, group in fc.groupby("unique_id", sort=False):
                f.write(uid + "," + ",".join(f"{v:.10g}" for v in group[col]) + "\n")
        print(f"{name}\t{secs:.2f}s\t{out}", flush=True)


if __name__ == "__main__":
    main()
