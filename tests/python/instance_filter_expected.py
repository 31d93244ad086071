"""sleap-nn's instance filters, written again from its description with numpy, on a SLEAP .slp read with h5py.

Usage: instance_filter_expected.py FILE MIN_VISIBLE_NODES MIN_INSTANCE_SCORE METHOD(none|iou|oks) THRESHOLD
Prints JSON: one [frame_idx, [positions of the kept instances within the frame]] per labelled frame, in file order.
Rules, in order: predicted instances with fewer visible nodes (x, y not NaN and visible) than the minimum go; then those
whose score is not at least the minimum; then greedy suppression by descending score (stable), an instance going when
its IoU of boxes, or OKS (kappa 0.1, scale = area of its own box), with an instance already kept is above the threshold.
User instances always stay.
"""
import json
import sys

import h5py
import numpy as np

path, min_nodes, min_score, method, threshold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], float(sys.argv[5])
f = h5py.File(path, "r")
frames = f["frames"][:]
instances = f["instances"][:]
pred_points = f["pred_points"][:]
points = f["points"][:]


def xy(i):
    inst = instances[i]
    table = pred_points if inst["instance_type"] == 1 else points
    p = table[inst["point_id_start"]:inst["point_id_end"]]
    x = p["x"].astype(float)
    y = p["y"].astype(float)
    hidden = ~p["visible"].astype(bool)
    x[hidden] = np.nan
    y[hidden] = np.nan
    return np.stack([x, y], axis=1)


def box(pts):
    ok = ~np.isnan(pts).any(axis=1)
    q = pts[ok]
    return q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()


def iou(a, b):
    ba, bb = box(a), box(b)
    w = max(0.0, min(ba[2], bb[2]) - max(ba[0], bb[0]))
    h = max(0.0, min(ba[3], bb[3]) - max(ba[1], bb[1]))
    inter = w * h
    union = (ba[2] - ba[0]) * (ba[3] - ba[1]) + (bb[2] - bb[0]) * (bb[3] - bb[1]) - inter
    return inter / union if union > 0 else 0.0


def oks(cand, kept):
    va = ~np.isnan(cand).any(axis=1)
    vb = ~np.isnan(kept).any(axis=1)
    both = va & vb
    if not both.any() or va.sum() < 2:
        return 0.0
    x0, y0, x1, y1 = box(cand)
    scale = (x1 - x0) * (y1 - y0)
    if scale <= 0:
        return 0.0
    d2 = ((cand[both] - kept[both]) ** 2).sum(axis=1)
    return float(np.mean(np.exp(-d2 / (2 * scale * 0.1 ** 2))))


out = []
for fr in frames:
    ids = list(range(fr["instance_id_start"], fr["instance_id_end"]))
    kept = []
    for pos, i in enumerate(ids):
        predicted = instances[i]["instance_type"] == 1
        pts = xy(i)
        visible = int((~np.isnan(pts).any(axis=1)).sum())
        if predicted and min_nodes > 0 and visible < min_nodes:
            continue
        if predicted and min_score > 0 and not (instances[i]["score"] >= min_score):
            continue
        kept.append(pos)
    if method != "none":
        cands = [p for p in kept if instances[ids[p]]["instance_type"] == 1 and (~np.isnan(xy(ids[p])).any(axis=1)).any()]
        score = {p: (-np.inf if np.isnan(instances[ids[p]]["score"]) else float(instances[ids[p]]["score"])) for p in cands}
        order = sorted(cands, key=lambda p: -score[p])  # Python's sort is stable
        survivors, dropped = [], set()
        for p in order:
            sim = oks if method == "oks" else iou
            if any(sim(xy(ids[p]), xy(ids[k])) > threshold for k in survivors):
                dropped.add(p)
            else:
                survivors.append(p)
        kept = [p for p in kept if p not in dropped]
    out.append([int(fr["frame_idx"]), kept])
print(json.dumps(out))
