namespace SleapPS.Fuzz.Mutations;

/// <summary>What a file's bytes are, so that mutations can aim at its structure where that is cheap.</summary>
public enum FileShape
{
    Hdf5,
    Json,
    Yaml,
    Zip,
    Protobuf,
    Mp4,
    Avi,
}
