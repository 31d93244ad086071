"""Print the shape of one dataset in an HDF5 file as a JSON list, read with h5py.

usage: h5_shape.py <file.h5> <dataset path>
"""
import json
import sys

import h5py

if len(sys.argv) != 3:
    sys.exit(__doc__)
with h5py.File(sys.argv[1], "r") as f:
    print(json.dumps(list(f[sys.argv[2]].shape)))
