// node dump-coco.mjs <file.json>
// Prints, as one canonical JSON document, what sleap-io.js's readCoco read from a COCO keypoints file.
// Images are taken by name (readCoco's resolveImage is the identity), because the images need not exist here.
import { resolve } from "node:path";
import { readFileSync } from "node:fs";
import { readCoco } from "@talmolab/sleap-io.js";
import { canonicalLabels, printJson, runDump } from "./canonical-labels.mjs";

await runDump("node dump-coco.mjs <file.json>", async (path) => {
  const text = readFileSync(resolve(path), "utf-8");
  const labels = readCoco(text, { resolveImage: (fileName) => fileName });
  await printJson(canonicalLabels(labels, "readCoco"));
});
