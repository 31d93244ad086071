"""Compare two .slp prediction files with h5py, independently of SleapPS's reader.

Usage: compare_predictions.py EXPECTED ACTUAL

Prints JSON: {"frames": [n_expected, n_actual], "frame_idx_equal", "frame_idx_unique", "instances": [..],
"instances_per_frame_equal", "max_point_diff" (x and y), "max_point_score_diff", "max_instance_score_diff",
"nan_equal"}. Differences are null when the shapes differ. Needs h5py (Debian: /usr/bin/python3).
"""
import json
import sys

import h5py
import numpy as np


def load(path):
    with h5py.File(path, "r") as f:
        return f["frames"][()], f["instances"][()], f["pred_points"][()]


def max_diff(a, b):
    if a.shape != b.shape:
        return None
    both = ~(np.isnan(a) | np.isnan(b))
    return float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0


def main(expected_path, actual_path):
    ef, ei, ep = load(expected_path)
    af, ai, ap = load(actual_path)
    same_frames = ef.shape == af.shape
    out = {
        "frames": [int(ef.shape[0]), int(af.shape[0])],
        "frame_idx_equal": bool(same_frames and np.array_equal(ef["frame_idx"], af["frame_idx"])),
        "frame_idx_unique": bool(len(np.unique(af["frame_idx"])) == af.shape[0]),
        "instances": [int(ei.shape[0]), int(ai.shape[0])],
        "instances_per_frame_equal": bool(same_frames and np.array_equal(
            ef["instance_id_end"] - ef["instance_id_start"], af["instance_id_end"] - af["instance_id_start"])),
        "max_point_diff": None,
        "max_point_score_diff": None,
        "max_instance_score_diff": max_diff(ei["score"].astype(np.float64), ai["score"].astype(np.float64)),
        "nan_equal": bool(ep.shape == ap.shape and np.array_equal(np.isnan(ep["x"]), np.isnan(ap["x"]))),
    }
    if ep.shape == ap.shape:
        out["max_point_diff"] = max(max_diff(ep["x"], ap["x"]), max_diff(ep["y"], ap["y"]))
        out["max_point_score_diff"] = max_diff(ep["score"].astype(np.float64), ap["score"].astype(np.float64))
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
