#!/usr/bin/env python3
"""Independent check of `recs predict --format sequences` on the S3-Rec protocol.

  cut:   check_sequences.py cut FULL > INPUT        (drops each user's last item)
  score: check_sequences.py score FULL PREDICTIONS  (HR/NDCG@10,20 vs last items)
"""
import math
import sys


def main():
    mode, full = sys.argv[1], sys.argv[2]
    rows = [l.split() for l in open(full) if l.strip()]
    if mode == "cut":
        for r in rows:
            print(" ".join(r[:-1]))
        return
    preds = {}
    for l in open(sys.argv[3]):
        user, _, items = l.rstrip("\n").partition("\t")
        preds[user] = items.split()
    hr = {10: 0.0, 20: 0.0}
    ndcg = {10: 0.0, 20: 0.0}
    for r in rows:
        user, hist, target = r[0], set(r[1:-1]), r[-1]
        p = preds[user]
        assert not (set(p) & hist), "history item recommended for " + user
        assert len(p) == len(set(p)), "duplicate item for " + user
        if target in p:
            rank = p.index(target)
            for k in hr:
                if rank < k:
                    hr[k] += 1
                    ndcg[k] += 1 / math.log2(rank + 2)
    n = len(rows)
    print(" ".join(f"HR@{k} {hr[k]/n:.4f} NDCG@{k} {ndcg[k]/n:.4f}" for k in hr))


if __name__ == "__main__":
    main()
