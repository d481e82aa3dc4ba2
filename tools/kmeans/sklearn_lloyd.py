#!/usr/bin/env python3
"""scikit-learn's Lloyd k-means from the same rows, initial centres and iteration count as `crisscross bench kmeans`.

    ./crisscross bench kmeans --n 100000 --dim 512 --k 256 --iters 20 --out /tmp/km --json
    /usr/bin/python3 tools/kmeans/sklearn_lloyd.py /tmp/km/rows.npy /tmp/km/initial-centres.npy 20

tol=0 and n_init=1 make scikit-learn run exactly the given iterations from the given centres (Debian's
python3-sklearn); it prints one JSON object with the fit time and the inertia.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans


def main():
    rows, init, iterations = np.load(sys.argv[1]), np.load(sys.argv[2]), int(sys.argv[3])
    model = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=iterations, tol=0.0, algorithm="lloyd")
    started = time.perf_counter()
    model.fit(rows)
    seconds = time.perf_counter() - started
    print(json.dumps({"implementation": "scikit-learn " + __import__("sklearn").__version__, "n": rows.shape[0],
                      "dim": rows.shape[1], "k": init.shape[0], "iterations": int(model.n_iter_),
                      "lloyd_seconds": round(seconds, 4), "inertia": float(model.inertia_)}))


if __name__ == "__main__":
    main()
