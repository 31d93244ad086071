using System.Globalization;

namespace SleapPS.Engine.Inference.Sharding;

/// <summary>
/// One shard of a sharded run: shard <see cref="Index"/> of <see cref="Count"/>, numbered from 0 as SLURM array task
/// ids and Kubernetes completion indexes are (docs/design/sharding.md §1). Written "i/n": "0/4" to "3/4".
/// </summary>
public readonly record struct ShardSpec
{
    /// <summary>The environment variable that gives the shard count to a Kubernetes Indexed Job (which sets only the index).</summary>
    public const string CountVariable = "SLEAPPS_SHARD_COUNT";

    private const string Form = "i/n (a 0-based index, then the number of shards: 0/4, 1/4, 2/4, 3/4), 'auto' or 'auto/n'";

    public ShardSpec(int index, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A run has at least one shard.");
        if (index < 0 || index >= count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Shards of {count} are numbered 0 to {count - 1}.");
        Index = index;
        Count = count;
    }

    /// <summary>This shard's number, from 0 to <see cref="Count"/> - 1.</summary>
    public int Index { get; }

    /// <summary>How many shards the run has.</summary>
    public int Count { get; }

    /// <summary>"2/4".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>
    /// A shard from what a user or a job script writes: "i/n"; "auto" for the index and count the scheduler sets
    /// (<see cref="FromEnvironment"/>); "auto/n" for the scheduler's index with n shards (Kubernetes sets no count).
    /// </summary>
    /// <param name="text">The shard as written.</param>
    /// <param name="environment">Reads an environment variable (null when unset); <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    /// <exception cref="SleapException">InvalidArgument naming the text and what is wrong with it.</exception>
    public static ShardSpec Parse(string text, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int slash = trimmed.IndexOf('/');
        string indexText = slash < 0 ? trimmed : trimmed[..slash];
        string? countText = slash < 0 ? null : trimmed[(slash + 1)..];
        if (indexText.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            int? count = countText is null ? null : ParseCount(text, countText);
            return FromEnvironment(environment ?? Environment.GetEnvironmentVariable, count);
        }
        if (countText is null || !TryInt(indexText, out int index) || !TryInt(countText, out int n))
            throw Invalid($"The shard '{text}' is not of the form {Form}.");
        if (n < 1)
            throw Invalid($"The shard '{text}' names {n} shards: the number after '/' is how many shards the run has, at least 1.");
        if (index < 0 || index >= n)
            throw Invalid($"The shard '{text}' is out of range: shards of {n} are numbered from 0 to {n - 1} (0-based, as SLURM array task ids are).");
        return new ShardSpec(index, n);
    }

    /// <summary>
    /// The shard the scheduler gave this process: SLURM's array task (SLURM_ARRAY_TASK_ID, counted from
    /// SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP, of SLURM_ARRAY_TASK_COUNT tasks), else a Kubernetes
    /// Indexed Job's JOB_COMPLETION_INDEX, of <paramref name="count"/> or <see cref="CountVariable"/> shards.
    /// </summary>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <param name="count">The number of shards when the caller knows it ("auto/4"); checked against SLURM's count.</param>
    /// <exception cref="SleapException">InvalidArgument when neither scheduler set an index, or what it set does not make a shard.</exception>
    public static ShardSpec FromEnvironment(Func<string, string?> environment, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment("SLURM_ARRAY_TASK_ID") is { } taskIdText) return FromSlurm(environment, taskIdText, count);
        if (environment("JOB_COMPLETION_INDEX") is { } indexText) return FromKubernetes(environment, indexText, count);
        throw Invalid("No scheduler set a shard index: neither SLURM_ARRAY_TASK_ID (an sbatch --array job) nor JOB_COMPLETION_INDEX " +
            "(a Kubernetes Indexed Job) is set. Run inside an array job, or give the shard as i/n (-Shard 0/4).");
    }

    private static ShardSpec FromSlurm(Func<string, string?> environment, string taskIdText, int? count)
    {
        int taskId = Variable("SLURM_ARRAY_TASK_ID", taskIdText);
        int min = environment("SLURM_ARRAY_TASK_MIN") is { } minText ? Variable("SLURM_ARRAY_TASK_MIN", minText) : 0;
        int step = environment("SLURM_ARRAY_TASK_STEP") is { } stepText ? Variable("SLURM_ARRAY_TASK_STEP", stepText) : 1;
        int? slurmCount = environment("SLURM_ARRAY_TASK_COUNT") is { } countText ? Variable("SLURM_ARRAY_TASK_COUNT", countText) : null;
        int n = slurmCount ?? count ?? throw Invalid(
            "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not, so the number of shards is unknown: give it as -Shard auto/n.");
        if (count is int given && given != n)
            throw Invalid($"-Shard auto/{given} names {given} shards, but this SLURM array has {n} tasks (SLURM_ARRAY_TASK_COUNT): make them agree.");
        int offset = taskId - min;
        int index = step < 1 ? -1 : offset / step;
        if (step < 1 || offset % step != 0 || index < 0 || index >= n)
            throw Invalid($"The SLURM array task {taskId} (SLURM_ARRAY_TASK_MIN {min}, SLURM_ARRAY_TASK_STEP {step}, SLURM_ARRAY_TASK_COUNT {n}) " +
                "is not one of evenly spaced tasks: submit a contiguous array (sbatch --array=0-3) or give the shard as -Shard i/n.");
        return new ShardSpec(index, n);
    }

    private static ShardSpec FromKubernetes(Func<string, string?> environment, string indexText, int? count)
    {
        int index = Variable("JOB_COMPLETION_INDEX", indexText);
        int n = count ?? (environment(CountVariable) is { } countText ? Variable(CountVariable, countText)
            : throw Invalid($"JOB_COMPLETION_INDEX is set ({index}) but Kubernetes gives no shard count: set {CountVariable} to the Job's " +
                "completions in the pod template, or give -Shard auto/n."));
        if (n < 1 || index < 0 || index >= n)
            throw Invalid($"JOB_COMPLETION_INDEX {index} is out of range for {n} shards (numbered 0 to {n - 1}): make the Job's completions and the shard count agree.");
        return new ShardSpec(index, n);
    }

    private static int ParseCount(string text, string countText)
    {
        if (!TryInt(countText, out int n)) throw Invalid($"The shard '{text}' is not of the form {Form}.");
        if (n < 1) throw Invalid($"The shard '{text}' names {n} shards: the number after '/' is how many shards the run has, at least 1.");
        return n;
    }

    private static int Variable(string name, string value) =>
        TryInt(value, out int number) ? number
            : throw Invalid($"The environment variable {name} is '{value}', not a whole number.");

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static SleapException Invalid(string message) => new(SleapErrorKind.InvalidArgument, message);
}
