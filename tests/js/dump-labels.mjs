// node dump-labels.mjs <file.slp>
// Prints, as one canonical JSON document, what sleap-io.js's loadSlp read from a SLEAP labels file.
import { resolve } from "node:path";
import { existsSync } from "node:fs";
import { loadSlp } from "@talmolab/sleap-io.js";
import { canonicalLabels, printJson, runDump } from "./canonical-labels.mjs";

await runDump("node dump-labels.mjs <file.slp>", async (path) => {
  const fullPath = resolve(path);
  // h5wasm reports a missing file as an opaque HDF5 error; say it plainly instead.
  if (!existsSync(fullPath)) throw new Error(`No such file: ${fullPath}`);
  // openVideos: false, because the video files the labels point at need not exist here.
  const labels = await loadSlp(fullPath, { openVideos: false });
  await printJson(canonicalLabels(labels, "loadSlp"));
});
