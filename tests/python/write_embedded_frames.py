"""Writes frames into an HDF5 file the way SLEAP embeds them in a .pkg.slp (labels-format.md 7.1).

Usage: write_embedded_frames.py OUTPUT.h5 MANIFEST.json

The manifest lists groups to write; the frames themselves are prepared by the C# test (so the
encoder is the same OpenCV SLEAP uses):
  {"groups": [
     {"group": "video0", "kind": "encoded", "format": "png", "files": ["f0.png", ...],
      "frame_numbers": [0, 7, ...], "height": H, "width": W, "channels": C,
      "source_video_json": "{...}"},
     {"group": "video1", "kind": "raw", "file": "frames.raw", "shape": [n, H, W, C],
      "frame_numbers": [...]}]}
"""
import json
import sys

import h5py
import numpy as np


def write_encoded(f, spec):
    rows = [np.frombuffer(open(path, "rb").read(), dtype="int8") for path in spec["files"]]
    max_bytes = max(len(r) for r in rows)
    data = np.zeros((len(rows), max_bytes), dtype="int8")  # rows zero-padded, as SLEAP does
    for i, r in enumerate(rows):
        data[i, : len(r)] = r
    ds = f.create_dataset(spec["group"] + "/video", data=data, compression="gzip", compression_opts=9)
    ds.attrs["format"] = spec["format"]
    ds.attrs["channels"] = spec["channels"]
    ds.attrs["height"] = spec["height"]
    ds.attrs["width"] = spec["width"]


def write_raw(f, spec):
    data = np.fromfile(spec["file"], dtype="uint8").reshape(spec["shape"])
    f.create_dataset(spec["group"] + "/video", data=data, compression="gzip", compression_opts=9)


def main(output, manifest):
    spec = json.load(open(manifest))
    with h5py.File(output, "w") as f:
        for group in spec["groups"]:
            if group["kind"] == "encoded":
                write_encoded(f, group)
            else:
                write_raw(f, group)
            f.create_dataset(group["group"] + "/frame_numbers", data=np.array(group["frame_numbers"], dtype="int64"))
            if "source_video_json" in group:
                f.require_group(group["group"] + "/source_video").attrs["json"] = group["source_video_json"]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
