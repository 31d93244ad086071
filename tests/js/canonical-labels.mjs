// Turns a sleap-io.js Labels object into one plain, canonical JSON document, so that the
// C# tests can compare what SLEAP's maintainers' own reader saw with what we wrote.
// Key order is fixed and NaN (which JSON cannot hold) is written as null.
import { PredictedInstance } from "@talmolab/sleap-io.js";

const finiteOrNull = (value) =>
  value === undefined || value === null || Number.isNaN(Number(value)) ? null : Number(value);

function canonicalVideo(video) {
  return {
    filename: video.filename,
    shape: video.shape ?? null,
    fps: finiteOrNull(video.fps),
  };
}

function canonicalSkeleton(skeleton) {
  return {
    name: skeleton.name ?? null,
    nodes: skeleton.nodes.map((node) => node.name),
    edges: skeleton.edges.map((edge) => [edge.source.name, edge.destination.name]),
    // Symmetries are unordered pairs; sleap-io.js keeps them as Sets, so sort each pair's names.
    symmetries: skeleton.symmetries.map((symmetry) => [...symmetry.nodes].map((node) => node.name).sort()),
  };
}

function canonicalPoint(point, predicted) {
  const [x, y] = point.xy;
  return [finiteOrNull(x), finiteOrNull(y), Boolean(point.visible), predicted ? finiteOrNull(point.score) : null];
}

function canonicalInstance(instance, skeletonIndex, instanceLocation) {
  const predicted = instance instanceof PredictedInstance;
  const source = instance.fromPredicted ? instanceLocation.get(instance.fromPredicted) ?? null : null;
  return {
    type: predicted ? "predicted" : "user",
    skeleton: skeletonIndex.get(instance.skeleton) ?? null,
    track: instance.track ? instance.track.name : null,
    score: predicted ? finiteOrNull(instance.score) : null,
    // SLEAP's user instances have no scores; sleap-io.js gives them trackingScore 0, written here as null.
    tracking_score: predicted ? finiteOrNull(instance.trackingScore) : null,
    // [labeled frame position, instance position] of the predicted instance this one was made from.
    from_predicted: source,
    points: instance.points.map((point) => canonicalPoint(point, predicted)),
  };
}

/** The canonical document of a loaded Labels object; `reader` names the sleap-io.js function used. */
export function canonicalLabels(labels, reader) {
  const videoIndex = new Map(labels.videos.map((video, i) => [video, i]));
  const skeletonIndex = new Map(labels.skeletons.map((skeleton, i) => [skeleton, i]));
  const instanceLocation = new Map();
  labels.labeledFrames.forEach((frame, f) =>
    frame.instances.forEach((instance, i) => instanceLocation.set(instance, [f, i])),
  );
  const frames = labels.labeledFrames.map((frame) => ({
    video: videoIndex.get(frame.video) ?? null,
    frame_idx: frame.frameIdx,
    instances: frame.instances.map((instance) => canonicalInstance(instance, skeletonIndex, instanceLocation)),
  }));
  return {
    reader,
    videos: labels.videos.map(canonicalVideo),
    skeletons: labels.skeletons.map(canonicalSkeleton),
    tracks: labels.tracks.map((track) => track.name),
    suggestions: (labels.suggestions ?? []).map((suggestion) => ({
      video: videoIndex.get(suggestion.video) ?? null,
      frame_idx: suggestion.frameIdx,
      group: suggestion.group ?? null,
    })),
    labeled_frames: frames,
    counts: {
      labeled_frames: frames.length,
      user_instances: frames.reduce((n, f) => n + f.instances.filter((i) => i.type === "user").length, 0),
      predicted_instances: frames.reduce((n, f) => n + f.instances.filter((i) => i.type === "predicted").length, 0),
    },
    provenance: labels.provenance ?? {},
  };
}

/** Writes the document to stdout and waits until it is flushed (large documents exceed the pipe buffer). */
export async function printJson(document) {
  const text = JSON.stringify(document) + "\n";
  await new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

/** Runs a dump script's main, turning any failure into a message on stderr and exit code 1. */
export async function runDump(usage, main) {
  const args = process.argv.slice(2);
  if (args.length !== 1) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  try {
    await main(args[0]);
  } catch (error) {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  }
}
