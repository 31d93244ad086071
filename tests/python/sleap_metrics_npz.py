"""Print SLEAP's stored evaluation metrics (metrics.<split>.npz) as JSON, read with numpy.

usage: sleap_metrics_npz.py <metrics.npz>

SLEAP saves them with np.savez_compressed(path, metrics=dict): one object array holding a pickled
dict. Some values are pickled as sleap.instance.PointArray (a numpy recarray subclass), so a plain
np.load(..., allow_pickle=True) fails without SLEAP installed. This reads the pickle with an
unpickler that stands in a plain ndarray subclass for any missing SLEAP array class.
Output: {key: value}; arrays become nested lists, NaN becomes null, numpy scalars plain numbers.
"""
import json
import math
import pickle
import sys
import zipfile

import numpy as np
from numpy.lib import format as npy_format


class _SleapArrayStandIn(np.ndarray):
    """Takes the place of sleap.instance.PointArray and friends: only the numbers are wanted."""


class _PermissiveUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module.split(".")[0] == "sleap":
            return _SleapArrayStandIn
        return super().find_class(module, name)


def _load_metrics(path):
    with zipfile.ZipFile(path) as archive, archive.open("metrics.npy") as stream:
        version = npy_format.read_magic(stream)
        shape, _, dtype = npy_format._read_array_header(stream, version)
        if dtype != np.dtype(object) or shape != ():
            sys.exit(f"{path}: expected a 0-d object array, got {dtype} {shape}")
        return _PermissiveUnpickler(stream, encoding="latin1").load().item()


def _plain(value):
    if isinstance(value, np.ndarray):
        return _plain(value.tolist()) if value.ndim else _plain(value.item())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


if len(sys.argv) != 2:
    sys.exit(__doc__)
metrics = _load_metrics(sys.argv[1])
print(json.dumps({key: _plain(value) for key, value in metrics.items()}))
