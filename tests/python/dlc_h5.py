"""pandas' view of DeepLabCut .h5 tables (docs/design/file-formats.md §13.2), written as DeepLabCut writes them.

python3 dlc_h5.py write FOLDER   writes reference tables with pandas as DLC does (predictions: DataFrame.to_hdf(...,
                                 key="df_with_missing", format="table"); labelled data also in the fixed format)
                                 and prints them as JSON: {name: table}
python3 dlc_h5.py read FILE      reads a table with pandas.read_hdf and prints it as JSON
python3 dlc_h5.py bad FOLDER     writes a DLC table whose non_index_axes pickle names a callable (never loaded here),
                                 and a table without DeepLabCut's column levels

A table as JSON: {"levels": [...], "columns": [[scorer, (individual,) bodypart, coord], ...], "index": [...],
"values": [[row values, null for NaN], ...]}. Floats are Python's repr, so exact.
"""
import json
import os
import sys

import h5py
import numpy as np
import pandas as pd


def as_json(df):
    return {
        "levels": list(df.columns.names),
        "columns": [list(c) for c in df.columns],
        "index": [i if isinstance(i, str) else "/".join(i) if isinstance(i, tuple) else int(i) for i in df.index],
        "values": [[None if np.isnan(v) else float(v) for v in row] for row in df.to_numpy(dtype=float)],
    }


def table(scorer, individuals, bodyparts, coords, rows, index=None, seed=0):
    levels = [[scorer]] + ([individuals] if individuals else []) + [bodyparts, coords]
    names = ["scorer"] + (["individuals"] if individuals else []) + ["bodyparts", "coords"]
    columns = pd.MultiIndex.from_product(levels, names=names)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 640, size=(rows, len(columns)))
    likelihood = [c[-1] == "likelihood" for c in columns]
    values[:, likelihood] = rng.uniform(0, 1, size=(rows, sum(likelihood)))
    values[1, :3] = np.nan                      # one bodypart missing on frame 1
    if individuals:
        per_individual = len(bodyparts) * len(coords)
        values[2, per_individual:2 * per_individual] = np.nan   # second animal absent on frame 2
    return pd.DataFrame(values, columns=columns, index=index)


def write(folder):
    images = [f"labeled-data/reach/img{i:03d}.png" for i in (4, 17, 230)]
    tables = {
        "single_predictions": table("DLC_resnet50_reachJan1shuffle1_1000", None, ["hand", "finger", "joystick"], ["x", "y", "likelihood"], 5),
        "multi_predictions": table("DLC_dlcrnetms5_miceJan1shuffle1_500", ["mouse1", "mouse2"], ["snout", "tailbase"], ["x", "y", "likelihood"], 4, seed=1),
        "single_labels": table("Alice", None, ["hand", "finger"], ["x", "y"], 3, index=images, seed=2),
        "multi_labels": table("Bob", ["mouse1", "mouse2"], ["snout", "tailbase"], ["x", "y"], 3, index=images, seed=3),
    }
    # DLC's labelled data (CollectedData_<scorer>.h5) is saved in pandas' fixed format, newer DLC with a row index of
    # (labeled-data, video, image) tuples, which the table format cannot hold.
    fixed = {
        "fixed_single_labels": table("Alice", None, ["hand", "finger"], ["x", "y"], 3, index=images, seed=4),
        "fixed_multi_labels": table("Bob", ["mouse1", "mouse2"], ["snout", "tailbase"], ["x", "y"], 3,
                                    index=pd.MultiIndex.from_tuples([tuple(i.split("/")) for i in images]), seed=5),
    }
    out = {}
    for name, df in tables.items():
        df.to_hdf(os.path.join(folder, name + ".h5"), key="df_with_missing", format="table", mode="w")
        out[name] = as_json(df)
    for name, df in fixed.items():
        df.to_hdf(os.path.join(folder, name + ".h5"), key="df_with_missing", mode="w")
        out[name] = as_json(df)
    print(json.dumps(out))


def bad(folder):
    df = table("S", None, ["nose"], ["x", "y", "likelihood"], 3)
    callable_path = os.path.join(folder, "callable.h5")
    df.to_hdf(callable_path, key="df_with_missing", format="table", mode="w")
    with h5py.File(callable_path, "r+") as f:
        # A protocol 0 pickle that would call os.system('echo owned') if anything unpickled it with pickle.loads.
        f["df_with_missing"].attrs["non_index_axes"] = np.bytes_(b"cos\nsystem\n(S'echo owned'\ntR.")
    flat = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    flat.to_hdf(os.path.join(folder, "flat.h5"), key="df_with_missing", format="table", mode="w")
    print(json.dumps({"callable": callable_path, "flat": os.path.join(folder, "flat.h5")}))


if __name__ == "__main__":
    mode, target = sys.argv[1], sys.argv[2]
    if mode == "write":
        write(target)
    elif mode == "read":
        print(json.dumps(as_json(pd.read_hdf(target))))
    elif mode == "bad":
        bad(target)
    else:
        sys.exit(f"unknown mode {mode}")
