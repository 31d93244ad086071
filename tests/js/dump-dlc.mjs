// node dump-dlc.mjs <file.csv>
// Prints, as one canonical JSON document, what sleap-io.js's loadDlc read from a DeepLabCut CSV table.
// loadDlc keeps only rows whose images exist beside the table (it builds image-sequence videos from them).
import { resolve } from "node:path";
import { loadDlc } from "@talmolab/sleap-io.js";
import { canonicalLabels, printJson, runDump } from "./canonical-labels.mjs";

await runDump("node dump-dlc.mjs <file.csv>", async (path) => {
  const labels = loadDlc(resolve(path), { config: false });
  await printJson(canonicalLabels(labels, "loadDlc"));
});
