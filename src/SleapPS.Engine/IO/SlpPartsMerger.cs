using PureHDF;
using PureHDF.Selections;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.IO;

/// <summary>
/// Joins .slp files of one skeleton (the parts of a long prediction run) into one .slp, in order, holding one part
/// at a time: memory stays that of a part however many frames the parts hold together.
/// </summary>
/// <remarks>
/// PureHDF cannot extend a dataset, so the tables are created at their final size: a first pass reads each part to
/// count its rows and collect its tracks, a second reads each part again and writes its rows as the next slice of
/// each table (deferred writing, two chunks held per table). The file is written to a temporary path and moved into
/// place when complete, like every file <see cref="SlpWriter"/> writes, and holds exactly what
/// <see cref="SlpWriter.Write"/> would write for the parts' frames in one <see cref="Labels"/> object.
/// </remarks>
internal static class SlpPartsMerger
{
    /// <summary>Writes the frames of <paramref name="parts"/>, in order, to <paramref name="outputPath"/>.</summary>
    /// <param name="skeleton">The skeleton of every instance: each part's skeleton must have its nodes.</param>
    /// <param name="videos">The output's videos, in order; each part's frames must be of one of them (same file name).</param>
    /// <param name="provenance">The output's provenance (the parts' own is dropped).</param>
    /// <param name="dropEmptyFrames">Leave out frames without instances.</param>
    /// <param name="inspect">Sees each part's frames before anything is written, and may refuse them by throwing (a join checks that each frame is its shard's).</param>
    /// <param name="partWritten">Called with the number of parts written into the temporary file so far (0 when writing starts), of all parts.</param>
    /// <param name="cancellationToken">
    /// Checked before each part is read and once more before the temporary file replaces the output: a stop leaves the
    /// output as it was and removes the temporary file (docs/design/reliability.md §4).
    /// </param>
    /// <returns>How many rows each table of the output holds.</returns>
    /// <exception cref="SleapException">InvalidData when a part cannot be read or does not fit; WriteError / NotFound when the output cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Stopped before the output was replaced.</exception>
    public static SlpRowIds Merge(IReadOnlyList<string> parts, string outputPath, Skeleton skeleton, IReadOnlyList<Video> videos,
        IReadOnlyDictionary<string, object?> provenance, bool dropEmptyFrames, Action<string, LabeledFrame>? inspect = null,
        Action<int, int>? partWritten = null, CancellationToken cancellationToken = default)
    {
        var reader = new SlpPartFrames(skeleton, videos);

        // Pass 1: the tables' sizes and the tracks.
        var total = default(SlpRowIds);
        foreach (string part in parts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var frame in reader.Read(part, dropEmptyFrames))
            {
                inspect?.Invoke(part, frame);
                total = RowsAfter(total, frame);
            }
        }

        var scope = Scope([], videos, skeleton, reader.Tracks);
        foreach (var (key, value) in provenance) scope.Provenance[key] = value;
        var builder = new H5FileBuilder();
        SlpWriter.AddHeader(builder, scope);
        var output = new Tables(builder, total);

        // Pass 2: each part's rows, continuing the rows before them.
        AtomicFile.Write(outputPath, temp =>
        {
            using var writer = builder.BeginWrite(temp);
            var next = default(SlpRowIds);
            int written = 0;
            partWritten?.Invoke(written, parts.Count);
            foreach (string part in parts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = SlpTables.Build(Scope(reader.Read(part, dropEmptyFrames), videos, skeleton, scope.Tracks), outputPath, next);
                next = rows.Next(next);
                if (Exceeds(next, total))
                    throw new SleapException(SleapErrorKind.InvalidData, $"The part '{part}' changed while it was being merged into '{outputPath}'.", part);
                output.Write(writer, rows, next);
                partWritten?.Invoke(++written, parts.Count);
            }
            if (next != total)
                throw new SleapException(SleapErrorKind.InvalidData, $"The parts merged into '{outputPath}' changed while they were being merged.", outputPath);
            // The last moment a stop keeps the old output: after this the temporary file is moved over it.
            cancellationToken.ThrowIfCancellationRequested();
        });
        return total;
    }

    /// <summary>Labels whose lists are the output's (so that rows index them as the output does) holding <paramref name="frames"/>.</summary>
    private static Labels Scope(List<LabeledFrame> frames, IEnumerable<Video> videos, Skeleton skeleton, IEnumerable<Track> tracks)
    {
        var scope = new Labels();
        scope.Videos.AddRange(videos);
        scope.Skeletons.Add(skeleton);
        scope.Tracks.AddRange(tracks);
        scope.LabeledFrames.AddRange(frames);
        return scope;
    }

    /// <summary>The row ids after a frame's rows, when they start at <paramref name="first"/>.</summary>
    private static SlpRowIds RowsAfter(SlpRowIds first, LabeledFrame frame)
    {
        var next = first with { Frame = first.Frame + 1, Instance = first.Instance + (ulong)frame.Instances.Count };
        foreach (var instance in frame.Instances)
            next = instance.IsPredicted
                ? next with { PredictedPoint = next.PredictedPoint + (ulong)instance.Points.Length }
                : next with { Point = next.Point + (ulong)instance.Points.Length };
        return next;
    }

    private static bool Exceeds(SlpRowIds ids, SlpRowIds limit) =>
        ids.Frame > limit.Frame || ids.Instance > limit.Instance || ids.Point > limit.Point || ids.PredictedPoint > limit.PredictedPoint;

    /// <summary>The output's four tables: created at their final size, filled slice by slice.</summary>
    private sealed class Tables
    {
        private readonly H5Dataset<SlpFrameRow[]>? _frames;
        private readonly H5Dataset<SlpInstanceRow[]>? _instances;
        private readonly H5Dataset<SlpPointRow[]>? _points;
        private readonly H5Dataset<SlpPredictedPointRow[]>? _predictedPoints;

        public Tables(H5FileBuilder builder, SlpRowIds rowCounts)
        {
            var root = builder.Root;
            root["points"] = Create(rowCounts.Point, out _points);
            root["pred_points"] = Create(rowCounts.PredictedPoint, out _predictedPoints);
            root["instances"] = Create(rowCounts.Instance, out _instances);
            root["frames"] = Create(rowCounts.Frame, out _frames);
        }

        /// <summary>Writes a part's rows, which end just before the row ids <paramref name="end"/>.</summary>
        public void Write(H5NativeWriter writer, SlpTables rows, SlpRowIds end)
        {
            WriteSlice(writer, _frames, rows.Frames, end.Frame);
            WriteSlice(writer, _instances, rows.Instances, end.Instance);
            WriteSlice(writer, _points, rows.Points, end.Point);
            WriteSlice(writer, _predictedPoints, rows.PredictedPoints, end.PredictedPoint);
        }

        // An empty table is written whole and at once (PureHDF cannot chunk an empty dataset).
        private static H5Dataset Create<T>(ulong rowCount, out H5Dataset<T[]>? deferred) where T : unmanaged
        {
            deferred = rowCount == 0 ? null : H5FileBuilder.DeferredTable<T>(rowCount);
            return deferred ?? H5FileBuilder.Table(Array.Empty<T>());
        }

        private static void WriteSlice<T>(H5NativeWriter writer, H5Dataset<T[]>? dataset, T[] rows, ulong end)
        {
            if (rows.Length == 0) return;
            writer.Write(dataset!, rows, fileSelection: new HyperslabSelection(start: end - (ulong)rows.Length, block: (ulong)rows.Length));
        }
    }
}
