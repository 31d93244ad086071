// node dump-analysis.mjs <file.analysis.h5>
// Prints, as one canonical JSON document, what sleap-io.js's loadAnalysisH5 read from a SLEAP analysis HDF5 file.
import { resolve } from "node:path";
import { existsSync } from "node:fs";
import { loadAnalysisH5 } from "@talmolab/sleap-io.js";
import { canonicalLabels, printJson, runDump } from "./canonical-labels.mjs";

await runDump("node dump-analysis.mjs <file.analysis.h5>", async (path) => {
  const fullPath = resolve(path);
  if (!existsSync(fullPath)) throw new Error(`No such file: ${fullPath}`);
  const labels = await loadAnalysisH5(fullPath);
  await printJson(canonicalLabels(labels, "loadAnalysisH5"));
});
