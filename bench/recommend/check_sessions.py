#!/usr/bin/env python3
"""Independent P@K / MRR@K of a `recs predict --format sessions` output.

  check_sessions.py LABELLED_PREFIXES PREDICTIONS [K]
LABELLED_PREFIXES has `label<TAB>prefix` lines; PREDICTIONS `index<TAB>items`.
"""
import sys


def main():
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    labels = [l.split("\t", 1)[0] for l in open(sys.argv[1])]
    preds = {}
    for l in open(sys.argv[2]):
        idx, _, items = l.rstrip("\n").partition("\t")
        preds[int(idx)] = items.split()[:k]
    assert len(preds) == len(labels), "one output line per input line"
    hit = mrr = 0.0
    for i, label in enumerate(labels):
        if label in preds[i]:
            hit += 1
            mrr += 1 / (preds[i].index(label) + 1)
    n = len(labels)
    print(f"cases {n} P@{k} {100 * hit / n:.2f} MRR@{k} {100 * mrr / n:.2f}")


if __name__ == "__main__":
    main()
