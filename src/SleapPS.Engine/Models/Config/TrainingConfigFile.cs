namespace SleapPS.Engine.Models.Config;

/// <summary>Finds and reads the config file a user's path means (a model folder or a .json file).</summary>
internal static class TrainingConfigFile
{
    public static TrainingConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string configPath = Resolve(Path.GetFullPath(path));
        string json;
        try
        {
            json = File.ReadAllText(configPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read the training config '{configPath}': {ex.Message}", configPath, ex);
        }
        return TrainingConfigParser.Parse(json, configPath);
    }

    private static string Resolve(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            string config = Path.Combine(fullPath, TrainingConfig.FileName);
            if (File.Exists(config)) return config;
            string initialNote = File.Exists(Path.Combine(fullPath, TrainingConfig.InitialFileName))
                ? $" It has {TrainingConfig.InitialFileName}, which holds the settings before training and is not enough: the model was probably never trained to the end."
                : "";
            throw new SleapException(SleapErrorKind.NotFound,
                $"The model folder '{fullPath}' has no {TrainingConfig.FileName}.{initialNote} Give the folder of a trained SLEAP model (it holds {TrainingConfig.FileName} and best_model.h5).",
                config);
        }
        if (File.Exists(fullPath))
        {
            if (!fullPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"'{fullPath}' is not a training config: give a SLEAP model folder or its {TrainingConfig.FileName}.", fullPath);
            // SLEAP's load_config reads the trained config beside an initial_config.json when there is one.
            if (Path.GetFileName(fullPath).Equals(TrainingConfig.InitialFileName, StringComparison.OrdinalIgnoreCase))
            {
                string trained = Path.Combine(Path.GetDirectoryName(fullPath)!, TrainingConfig.FileName);
                if (File.Exists(trained)) return trained;
            }
            return fullPath;
        }
        throw new SleapException(SleapErrorKind.NotFound,
            $"Cannot find the model folder or training config '{fullPath}'. Give the folder of a trained SLEAP model or its {TrainingConfig.FileName}.",
            fullPath);
    }
}
