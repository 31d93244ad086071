"""The frames of each part of a fraction split, from the rule documented in docs/design/labels-operations.md §3.

Usage: split_hash_expected.py FILE SEED FRACTION [FRACTION...]
Each labelled frame (file order) gets the key splitmix64(splitmix64(splitmix64(seed) ^ video) ^ frame_idx); frames sorted by
(key, file position); part k takes positions round(n * cumulative fraction) (halves away from zero) of that order; each part
lists its frame indices in file order. Prints JSON: one list of [video, frame_idx] pairs per part.
"""
import json
import sys

import h5py

MASK = (1 << 64) - 1


def mix(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


path, seed, fractions = sys.argv[1], int(sys.argv[2]), [float(a) for a in sys.argv[3:]]
frames = h5py.File(path, "r")["frames"][:]
n = len(frames)
keys = [(mix(mix(mix(seed) ^ int(fr["video"])) ^ int(fr["frame_idx"])), i) for i, fr in enumerate(frames)]
order = [i for _, i in sorted(keys)]
parts, start, total = [], 0, 0.0
for fraction in fractions:
    total += fraction
    end = min(n, int(n * min(total, 1.0) + 0.5))
    chosen = sorted(order[start:end])
    parts.append([[int(frames[i]["video"]), int(frames[i]["frame_idx"])] for i in chosen])
    start = end
print(json.dumps(parts))
