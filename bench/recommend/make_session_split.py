#!/usr/bin/env python3
"""Carves a validation split out of training sessions (one per line, time order).

The last `--fraction` of the sessions become validation sessions; every prefix
of each predicts its next item, written as `label<TAB>prefix` like the
Diginetica test file. Items never seen in the remaining training sessions are
dropped from validation sessions (as SR-GNN's preprocessing does for test).

usage: make_session_split.py --fraction 0.1 --out-train T --out-valid V FILE...
"""
import argparse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--fraction", type=float, default=0.1)
    p.add_argument("--out-train", required=True)
    p.add_argument("--out-valid", required=True)
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    sessions = []
    for path in a.files:
        with open(path) as f:
            sessions += [l.split() for l in f if l.strip()]
    cut = int(len(sessions) * (1 - a.fraction))
    train, valid = sessions[:cut], sessions[cut:]
    known = {i for s in train for i in s}
    with open(a.out_train, "w") as f:
        for s in train:
            f.write(" ".join(s) + "\n")
    with open(a.out_valid, "w") as f:
        for s in valid:
            s = [i for i in s if i in known]
            for n in range(len(s) - 1, 0, -1):
                f.write(s[n] + "\t" + " ".join(s[:n]) + "\n")


if __name__ == "__main__":
    main()
