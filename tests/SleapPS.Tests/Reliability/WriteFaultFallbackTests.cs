using SleapPS.Engine;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// The stand-in for a full disk where no file system can be mounted (docs/design/reliability.md §4): a write stream
/// that fails after N bytes, as the OS does with ENOSPC. The target keeps its old bytes and no temporary file stays.
/// </summary>
public class WriteFaultFallbackTests
{
    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_written + count > failAfter) throw new IOException("No space left on device");
            inner.Write(buffer, offset, count);
            _written += count;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void A_write_that_runs_out_of_space_leaves_the_old_file_and_no_temporary()
    {
        using var dir = new TempDir();
        string target = dir.File("out.slp");
        byte[] old = File.ReadAllBytes(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        File.WriteAllBytes(target, old);

        var ex = Assert.Throws<SleapException>(() => AtomicFile.Write(target, temp =>
        {
            using var stream = new FailingStream(File.Create(temp), failAfter: 5000);
            for (int i = 0; i < 100; i++) stream.Write(new byte[100], 0, 100);
        }));

        Assert.Equal(SleapErrorKind.WriteError, ex.Kind);
        Assert.Equal($"Cannot write '{target}': No space left on device", ex.Message);
        Assert.Equal(old, File.ReadAllBytes(target));
        Assert.Equal(["out.slp"], dir.Entries);
    }
}
