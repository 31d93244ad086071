"""Write small HDF5 files in h5py's newest layouts (libver='latest': superblock 3, version 2 object headers) for the
HDF5 pre-check tests (docs/design/reliability.md §3). Each file holds one probe whose bytes a test damages.

usage: write_latest_layouts.py <folder>
  compact.h5     links and attributes in the header; root attribute 'probe' = arange(3) int64, 'names' (variable-length
                 strings); compact dataset 'compact_probe'; dataset 'filled' with fill value 7 (int64)
  dense.h5       12 datasets and 12 root attributes (dense: fractal heaps + v2 B-trees); attribute 'probe_07' = arange(8) int64
  dense_links.h5 12 datasets, no attributes (only the link heap)
  huge_attr.h5   root attribute 'big' of 20,000 float64 (a huge heap object)
  strings.h5     a dataset 'nodes' of variable-length strings ("head", "thorax") and no attributes
  chunked.h5     h5py's default layout (superblock 0, layout version 3): 'table', 100 int64 in gzip chunks of 4
  continued.h5   a dataset whose attributes were added after it was written
(h5py puts the root's later links of compact.h5 in continuation blocks, "OCHK")
"""
import os
import sys

import h5py
import numpy as np

if len(sys.argv) != 2:
    sys.exit(__doc__)
folder = sys.argv[1]

with h5py.File(os.path.join(folder, "compact.h5"), "w", libver="latest") as f:
    f.attrs["probe"] = np.arange(3, dtype="<i8")
    f.attrs["names"] = ["variable-length", "strings", "in a global heap"]
    f.create_group("metadata").attrs["format_id"] = 1.2
    f.create_dataset("frames", data=np.arange(10, dtype="<i8"))
    f.create_dataset("filled", data=np.arange(3, dtype="<i8"), fillvalue=7)
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    space = h5py.h5s.create_simple((4,))
    h5py.h5d.create(f.id, b"compact_probe", h5py.h5t.STD_I32LE, space, dcpl=dcpl).write(
        h5py.h5s.ALL, h5py.h5s.ALL, np.arange(4, dtype="<i4"))

with h5py.File(os.path.join(folder, "dense.h5"), "w", libver="latest") as f:
    for i in range(12):
        f.create_dataset(f"d{i:02d}", data=np.arange(3))
    for i in range(12):
        f.attrs[f"probe_{i:02d}"] = np.arange(i + 1, dtype="<i8")

with h5py.File(os.path.join(folder, "dense_links.h5"), "w", libver="latest") as f:
    for i in range(12):
        f.create_dataset(f"d{i:02d}", data=np.arange(3))

with h5py.File(os.path.join(folder, "huge_attr.h5"), "w", libver="latest") as f:
    f.attrs["big"] = np.zeros(20000)

with h5py.File(os.path.join(folder, "strings.h5"), "w", libver="latest") as f:
    f.create_dataset("nodes", data=["head", "thorax"], dtype=h5py.string_dtype())

with h5py.File(os.path.join(folder, "chunked.h5"), "w") as f:
    f.create_dataset("table", data=np.arange(100, dtype="<i8"), chunks=(4,), compression="gzip")

with h5py.File(os.path.join(folder, "continued.h5"), "w", libver="latest") as f:
    d = f.create_dataset("table", data=np.arange(5))
    for i in range(6):
        d.attrs[f"note_{i}"] = np.arange(20, dtype="<i8")
