"""scipy and numpy's view of a trajectory operation SleapPS wrote to a .slp file.

python3 trajectory_reference.py INPUT.slp OUTPUT.slp savgol WINDOW POLYORDER
python3 trajectory_reference.py INPUT.slp OUTPUT.slp median WINDOW
python3 trajectory_reference.py INPUT.slp OUTPUT.slp interpolate MAX_GAP

Reads both files with h5py, builds each track's node series over the track's span of frames (NaN where missing),
computes what the operation should give with scipy.signal.savgol_filter (mode='interp'), scipy.ndimage's median
filter with mode='mirror' (numpy's 'reflect' padding) or numpy.interp, each unbroken run of points taken alone (see
docs/design/trajectories.md §4-§5), and prints JSON: how many points were compared and the largest difference from
the output file, plus the points that should have been left alone but were not.
"""
import json
import sys

import h5py
import numpy as np
from scipy import ndimage, signal


def series(path):
    """{(track, node): {frame: (x, y, score)}} for the tracked predicted instances of a .slp file."""
    with h5py.File(path, "r") as f:
        frames = f["frames"][:]
        instances = f["instances"][:]
        points = f["pred_points"][:]
    frame_of = np.empty(len(instances), dtype=np.int64)
    for row in frames:
        frame_of[row["instance_id_start"]:row["instance_id_end"]] = row["frame_idx"]
    out = {}
    for i, inst in enumerate(instances):
        if inst["track"] < 0 or inst["instance_type"] != 1:
            continue
        pts = points[inst["point_id_start"]:inst["point_id_end"]]
        for node, p in enumerate(pts):
            if np.isnan(p["x"]) or not p["visible"]:
                continue
            out.setdefault((int(inst["track"]), node), {})[int(frame_of[i])] = (p["x"], p["y"], p["score"])
    return out


def spans(path):
    """{track: (first, last)} frame span of each track."""
    with h5py.File(path, "r") as f:
        frames = f["frames"][:]
        instances = f["instances"][:]
    result = {}
    for row in frames:
        for inst in instances[row["instance_id_start"]:row["instance_id_end"]]:
            t = int(inst["track"])
            if t < 0:
                continue
            frame = int(row["frame_idx"])
            first, last = result.get(t, (frame, frame))
            result[t] = (min(first, frame), max(last, frame))
    return result


def runs(mask):
    """(start, end) of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return list(zip(edges[::2], edges[1::2]))


def main():
    source, result, operation = sys.argv[1], sys.argv[2], sys.argv[3]
    parameter = int(sys.argv[4])
    before, after, span = series(source), series(result), spans(source)
    compared, worst, wrong, filled_scores = 0, 0.0, [], set()
    for (track, node), points in before.items():
        first, last = span[track]
        frames = np.arange(first, last + 1)
        xy = np.full((len(frames), 2), np.nan)
        for frame, (x, y, _) in points.items():
            xy[frame - first] = (x, y)
        expected = xy.copy()
        present = ~np.isnan(xy[:, 0])
        if operation == "interpolate":
            known = np.flatnonzero(present)
            for a, b in zip(known[:-1], known[1:]):
                if 1 < b - a <= parameter + 1:
                    gap = np.arange(a + 1, b)
                    for axis in range(2):
                        expected[gap, axis] = np.interp(gap, [a, b], xy[[a, b], axis])
        else:
            for start, end in runs(present):
                if end - start < parameter:
                    continue
                for axis in range(2):
                    run = xy[start:end, axis]
                    if operation == "savgol":
                        expected[start:end, axis] = signal.savgol_filter(run, parameter, int(sys.argv[5]), mode="interp")
                    else:
                        expected[start:end, axis] = ndimage.median_filter(run, size=parameter, mode="mirror")
        got = after.get((track, node), {})
        for k in np.flatnonzero(~np.isnan(expected[:, 0])):
            frame = int(frames[k])
            if frame not in got:
                wrong.append([track, node, frame, "missing"])
                continue
            compared += 1
            worst = max(worst, abs(got[frame][0] - expected[k, 0]), abs(got[frame][1] - expected[k, 1]))
            if not present[k]:
                filled_scores.add(float(got[frame][2]))
        extra = set(got) - {int(frames[k]) for k in np.flatnonzero(~np.isnan(expected[:, 0]))}
        wrong.extend([track, node, frame, "extra"] for frame in sorted(extra))
    print(json.dumps({"compared": compared, "max_difference": worst, "wrong": wrong[:20],
                      "filled_scores": sorted(filled_scores)}))


main()
