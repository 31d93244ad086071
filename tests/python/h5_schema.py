"""Print the layout of an HDF5 file as JSON, to compare files written by SleapPS with SLEAP's own.

Usage: h5_schema.py FILE

Output: {"<dataset path>": {"shape", "dtype", "compression", "compression_opts", "chunked",
"string"}, "<object path>@<attr>": {"shape", "dtype", "string"}} where dtype is numpy's
`dtype.descr` (field names and types, in order) and "string" is "fixed", "vlen" or null.
Needs h5py (Debian: /usr/bin/python3).
"""
import json
import sys

import h5py


def string_kind(dtype):
    info = h5py.check_string_dtype(dtype)
    if info is None:
        return None
    return "vlen" if info.length is None else "fixed"


def describe(dtype):
    # descr is a list of (name, type) pairs; plain types come back as [("", "<f8")].
    return [list(field) for field in dtype.descr]


def main(path):
    schema = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                schema[name] = {
                    "shape": list(obj.shape),
                    "dtype": describe(obj.dtype),
                    "compression": obj.compression,
                    "compression_opts": obj.compression_opts,
                    "chunked": obj.chunks is not None,
                    "string": string_kind(obj.dtype),
                }
            for attr in obj.attrs:
                attr_id = obj.attrs.get_id(attr)
                schema[f"{name}@{attr}"] = {
                    "shape": list(attr_id.shape),
                    "dtype": describe(attr_id.dtype),
                    "string": string_kind(attr_id.dtype),
                }

        f.visititems(visit)
    json.dump(schema, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
