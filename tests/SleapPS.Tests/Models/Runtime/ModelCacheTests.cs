using System.Security.Cryptography;
using System.Text;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Runtime;

public class ModelCacheTests
{
    private static readonly string CentroidH5 = Paths.Fixture("models", "minimal_instance.UNet.centroid", "best_model.h5");

    [Fact]
    public void Key_is_the_sha256_of_the_keras_bytes_and_the_converter_version()
    {
        byte[] content = [.. File.ReadAllBytes(CentroidH5), .. Encoding.UTF8.GetBytes(ModelCache.ConverterVersion)];
        Assert.Equal(Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant(), ModelCache.KeyOf(CentroidH5));
    }

    [Fact]
    public void Entries_round_trip_and_an_entry_missing_a_file_is_a_miss()
    {
        using var dir = new TempDir();
        var cache = new ModelCache(dir.File("cache"));
        Assert.Null(cache.TryGet("abc"));

        var note = new CachedModelNote(ModelCache.ConverterVersion, CentroidH5, 384, 384, 1);
        var put = cache.Put("abc", [1, 2, 3], note);
        Assert.Equal(Path.Combine(dir.FullName, "cache", "abc.onnx"), put.OnnxPath);

        var got = cache.TryGet("abc");
        Assert.NotNull(got);
        Assert.Equal(note, got.Note);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(got.OnnxPath));
        Assert.Equal(["abc.json", "abc.onnx"], Directory.GetFiles(cache.Folder).Select(Path.GetFileName).Order());

        File.WriteAllText(Path.Combine(cache.Folder, "abc.json"), "{not json");
        Assert.Null(cache.TryGet("abc"));
        cache.Remove("abc");
        Assert.Empty(Directory.GetFiles(cache.Folder));
    }

    [Fact]
    public void Default_folder_follows_the_environment_variable()
    {
        string? saved = Environment.GetEnvironmentVariable(ModelCache.FolderVariable);
        try
        {
            Environment.SetEnvironmentVariable(ModelCache.FolderVariable, "/tmp/somewhere/cache");
            Assert.Equal("/tmp/somewhere/cache", ModelCache.DefaultFolder);
            Environment.SetEnvironmentVariable(ModelCache.FolderVariable, null);
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
                "SleapPS", "model-cache"), ModelCache.DefaultFolder);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelCache.FolderVariable, saved);
        }
    }
}
