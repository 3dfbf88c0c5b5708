#!/usr/bin/env python3
"""Converts the smoke-test samples to the `recs --format sessions` files.

  prepare_samples.py OUT_DIR

yoochoose-100k (session-rec's split, `SessionId<TAB>ItemId<TAB>Time`):
  OUT_DIR/yoochoose_train.txt    training sessions ordered by start time
  OUT_DIR/yoochoose_test.tsv     `label<TAB>prefix` for every prefix of every
                                 test session (items unseen in training dropped)
diginetica-sample (`session_id;user_id;item_id;timeframe;eventdate`), with the
SR-GNN preprocessing: sessions of length 1 and items seen < 5 times dropped,
the last 7 days are the test period:
  OUT_DIR/digisample_train.txt, OUT_DIR/digisample_test.tsv
"""
import collections
import datetime
import os
import sys

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "recs")


def write(out_dir, name, train, test):
    known = {i for s in train for i in s}
    with open(os.path.join(out_dir, name + "_train.txt"), "w") as f:
        for s in train:
            f.write(" ".join(s) + "\n")
    with open(os.path.join(out_dir, name + "_test.tsv"), "w") as f:
        for s in test:
            s = [i for i in s if i in known]
            for n in range(len(s) - 1, 0, -1):
                f.write(s[n] + "\t" + " ".join(s[:n]) + "\n")


def read_yoochoose(path):
    clicks = collections.defaultdict(list)
    with open(path) as f:
        next(f)
        for line in f:
            sid, item, t = line.split("\t")
            clicks[sid].append((float(t), item))
    sessions = [sorted(c) for c in clicks.values()]
    sessions.sort(key=lambda c: c[0][0])
    return [[i for _, i in c] for c in sessions]


def digisample():
    clicks = collections.defaultdict(list)
    dates = {}
    with open(os.path.join(DATA, "diginetica-sample", "sample_train-item-views.csv")) as f:
        next(f)
        for line in f:
            sid, _, item, frame, date = line.strip().split(";")
            clicks[sid].append((int(frame), item))
            dates[sid] = datetime.date.fromisoformat(date)
    sessions = {s: [i for _, i in sorted(c)] for s, c in clicks.items() if len(c) > 1}
    counts = collections.Counter(i for s in sessions.values() for i in s)
    sessions = {s: [i for i in c if counts[i] >= 5] for s, c in sessions.items()}
    sessions = {s: c for s, c in sessions.items() if len(c) > 1}
    order = sorted(sessions, key=lambda s: dates[s])
    cut = max(dates[s] for s in order) - datetime.timedelta(days=7)
    train = [sessions[s] for s in order if dates[s] <= cut]
    test = [sessions[s] for s in order if dates[s] > cut]
    return train, test


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    y = os.path.join(DATA, "yoochoose-100k")
    write(out, "yoochoose", read_yoochoose(os.path.join(y, "yoochoose-clicks-100k_train_full.txt")),
          read_yoochoose(os.path.join(y, "yoochoose-clicks-100k_test.txt")))
    write(out, "digisample", *digisample())


if __name__ == "__main__":
    main()
