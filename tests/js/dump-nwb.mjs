// node dump-nwb.mjs <file.nwb>
// Prints, as one canonical JSON document, what sleap-io.js's loadNwb read from an NWB (ndx-pose) file.
import { resolve } from "node:path";
import { existsSync } from "node:fs";
import { loadNwb } from "@talmolab/sleap-io.js";
import { canonicalLabels, printJson, runDump } from "./canonical-labels.mjs";

await runDump("node dump-nwb.mjs <file.nwb>", async (path) => {
  const fullPath = resolve(path);
  if (!existsSync(fullPath)) throw new Error(`No such file: ${fullPath}`);
  const labels = await loadNwb(fullPath);
  await printJson(canonicalLabels(labels, "loadNwb"));
});
