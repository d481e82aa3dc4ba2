#!/usr/bin/env python3
"""Quick diagnostics of cached evaluation features (numpy only; a development aid, not part of the project).

Reads the feature sets `crisscross evaluate` stores in a run's evaluation/feature-cache/ and prints, for each
(encoder, clip settings) pair:
  - ridge: one-vs-rest ridge classifier on standardised features averaged per sample, 5 grouped folds
    (groups = the recording column, or the sample when it is empty);
  - knn: 1-nearest-neighbour (cosine) on the same sample averages and folds;
  - same-sample NN: share of clips whose nearest other clip (cosine, standardised) comes from the same sample,
    a measure of how much clip-specific information the features keep.
These take seconds where the SVM protocol takes tens of minutes, so they are for comparing pretraining settings
quickly; the numbers to report come from `crisscross evaluate`.

    python3 tools/eval/probe_cache.py runs/esc50-a1a2/evaluation/feature-cache [--lam 0.01]
"""
import argparse
import glob
import json
import os

import numpy as np


def load(prefix):
    features = np.load(prefix + ".npy")
    with open(prefix + ".clips.tsv", encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    sample = np.array([r[0] for r in rows])
    label = np.array([int(r[2]) for r in rows])
    group = np.array([r[3] if r[3] else r[0] for r in rows])
    with open(prefix + ".json", encoding="utf-8") as f:
        meta = json.load(f)
    return features, sample, label, group, meta


def group_folds(groups, k, seed=0):
    unique = sorted(set(groups))
    np.random.RandomState(seed).shuffle(unique)
    return {g: i % k for i, g in enumerate(unique)}


def sample_means(features, sample, label, group, folds):
    ids = sorted(set(sample))
    index = {s: i for i, s in enumerate(ids)}
    sums = np.zeros((len(ids), features.shape[1]))
    counts = np.zeros(len(ids))
    labels = np.zeros(len(ids), int)
    fold = np.zeros(len(ids), int)
    for i, s in enumerate(sample):
        j = index[s]
        sums[j] += features[i]
        counts[j] += 1
        labels[j] = label[i]
        fold[j] = folds[group[i]]
    return sums / counts[:, None], labels, fold


def probe(features, sample, label, group, k=5, lam=0.01):
    means, labels, fold = sample_means(features, sample, label, group, group_folds(group, k))
    classes = labels.max() + 1
    ridge, knn = [], []
    for f in range(k):
        train, test = fold != f, fold == f
        mu, sd = means[train].mean(0), means[train].std(0) + 1e-6
        a = (means[train] - mu) / sd
        b = (means[test] - mu) / sd
        an = a / np.linalg.norm(a, axis=1, keepdims=True)
        bn = b / np.linalg.norm(b, axis=1, keepdims=True)
        knn.append(np.mean(labels[train][np.argmax(bn @ an.T, 1)] == labels[test]))
        targets = -np.ones((train.sum(), classes))
        targets[np.arange(train.sum()), labels[train]] = 1
        a1 = np.hstack([a, np.ones((len(a), 1))])
        b1 = np.hstack([b, np.ones((len(b), 1))])
        w = np.linalg.solve(a1.T @ a1 + lam * len(a1) * np.eye(a1.shape[1]), a1.T @ targets)
        ridge.append(np.mean(np.argmax(b1 @ w, 1) == labels[test]))
    z = (features - features.mean(0)) / (features.std(0) + 1e-6)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    similarity = z @ z.T
    np.fill_diagonal(similarity, -np.inf)
    same_sample = np.mean(sample[similarity.argmax(1)] == sample)
    return np.mean(ridge), np.mean(knn), same_sample


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", help="a run's evaluation/feature-cache directory")
    parser.add_argument("--lam", type=float, default=0.01, help="ridge penalty per training row")
    args = parser.parse_args()
    for meta_file in sorted(glob.glob(os.path.join(args.cache, "*.json"))):
        prefix = meta_file[: -len(".json")]
        features, sample, label, group, meta = load(prefix)
        ridge, knn, same = probe(features, sample, label, group, lam=args.lam)
        print("%-24s settings %s  %5d clips x %4d  ridge %5.1f %%  knn %5.1f %%  same-sample NN %5.1f %%" % (
            meta["key"]["checkpoint"][:24], meta["key"]["settings"][:8], features.shape[0], features.shape[1],
            100 * ridge, 100 * knn, 100 * same))


if __name__ == "__main__":
    main()
