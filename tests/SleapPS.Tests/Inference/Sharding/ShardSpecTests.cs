using SleapPS.Engine;
using SleapPS.Engine.Inference.Sharding;

namespace SleapPS.Tests.Inference.Sharding;

/// <summary>Shards as users write them (i/n, 0-based) and as SLURM and Kubernetes hand them to a process.</summary>
public sealed class ShardSpecTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }

    private static readonly Func<string, string?> NoEnv = Env();

    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    [InlineData(" 0 / 1 ", 0, 1)]
    [InlineData("12/100", 12, 100)]
    public void I_of_n_is_shard_i_counted_from_zero(string text, int index, int count)
    {
        var shard = ShardSpec.Parse(text, NoEnv);
        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.Equal($"{index}/{count}", shard.ToString());
    }

    [Theory]
    [InlineData("5/4", "The shard '5/4' is out of range: shards of 4 are numbered from 0 to 3 (0-based, as SLURM array task ids are).")]
    [InlineData("4/4", "The shard '4/4' is out of range: shards of 4 are numbered from 0 to 3 (0-based, as SLURM array task ids are).")]
    [InlineData("-1/4", "The shard '-1/4' is out of range: shards of 4 are numbered from 0 to 3 (0-based, as SLURM array task ids are).")]
    [InlineData("0/0", "The shard '0/0' names 0 shards: the number after '/' is how many shards the run has, at least 1.")]
    [InlineData("a/b", "The shard 'a/b' is not of the form i/n (a 0-based index, then the number of shards: 0/4, 1/4, 2/4, 3/4), 'auto' or 'auto/n'.")]
    [InlineData("3", "The shard '3' is not of the form i/n (a 0-based index, then the number of shards: 0/4, 1/4, 2/4, 3/4), 'auto' or 'auto/n'.")]
    [InlineData("1/4/2", "The shard '1/4/2' is not of the form i/n (a 0-based index, then the number of shards: 0/4, 1/4, 2/4, 3/4), 'auto' or 'auto/n'.")]
    [InlineData("auto/0", "The shard 'auto/0' names 0 shards: the number after '/' is how many shards the run has, at least 1.")]
    public void A_shard_that_is_not_one_is_refused_with_what_is_wrong(string text, string message)
    {
        var error = Assert.Throws<SleapException>(() => ShardSpec.Parse(text, NoEnv));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_slurm_array_task_is_its_offset_from_the_arrays_first_task()
    {
        // sbatch --array=0-3: the task id is the shard.
        Assert.Equal(new ShardSpec(2, 4), ShardSpec.Parse("auto", Env(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "0"))));
        // sbatch --array=1-4: task 1 is shard 0.
        Assert.Equal(new ShardSpec(0, 4), ShardSpec.Parse("auto", Env(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "1"))));
        // sbatch --array=10-16:2 (10, 12, 14, 16): task 14 is shard 2 of 4.
        Assert.Equal(new ShardSpec(2, 4), ShardSpec.Parse("auto", Env(("SLURM_ARRAY_TASK_ID", "14"), ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "10"), ("SLURM_ARRAY_TASK_STEP", "2"))));
        // auto/4 agrees with SLURM's count.
        Assert.Equal(new ShardSpec(3, 4), ShardSpec.Parse("auto/4", Env(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
    }

    [Fact]
    public void A_slurm_array_that_does_not_make_shards_is_refused()
    {
        var error = Assert.Throws<SleapException>(() => ShardSpec.Parse("auto/8", Env(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
        Assert.Equal("-Shard auto/8 names 8 shards, but this SLURM array has 4 tasks (SLURM_ARRAY_TASK_COUNT): make them agree.", error.Message);

        // sbatch --array=1,3,9: task 9 is not the third of evenly spaced tasks.
        error = Assert.Throws<SleapException>(() => ShardSpec.Parse("auto", Env(("SLURM_ARRAY_TASK_ID", "9"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "1"))));
        Assert.Equal("The SLURM array task 9 (SLURM_ARRAY_TASK_MIN 1, SLURM_ARRAY_TASK_STEP 1, SLURM_ARRAY_TASK_COUNT 3) is not one of evenly spaced tasks: " +
            "submit a contiguous array (sbatch --array=0-3) or give the shard as -Shard i/n.", error.Message);

        error = Assert.Throws<SleapException>(() => ShardSpec.Parse("auto", Env(("SLURM_ARRAY_TASK_ID", "x"), ("SLURM_ARRAY_TASK_COUNT", "3"))));
        Assert.Equal("The environment variable SLURM_ARRAY_TASK_ID is 'x', not a whole number.", error.Message);
    }

    [Fact]
    public void A_kubernetes_indexed_job_gives_the_index_and_the_count_comes_from_the_shard_or_SLEAPPS_SHARD_COUNT()
    {
        Assert.Equal(new ShardSpec(1, 3), ShardSpec.Parse("auto/3", Env(("JOB_COMPLETION_INDEX", "1"))));
        Assert.Equal(new ShardSpec(2, 3), ShardSpec.Parse("auto", Env(("JOB_COMPLETION_INDEX", "2"), ("SLEAPPS_SHARD_COUNT", "3"))));

        var error = Assert.Throws<SleapException>(() => ShardSpec.Parse("auto", Env(("JOB_COMPLETION_INDEX", "2"))));
        Assert.Equal("JOB_COMPLETION_INDEX is set (2) but Kubernetes gives no shard count: set SLEAPPS_SHARD_COUNT to the Job's completions in the pod template, or give -Shard auto/n.", error.Message);
        error = Assert.Throws<SleapException>(() => ShardSpec.Parse("auto/2", Env(("JOB_COMPLETION_INDEX", "2"))));
        Assert.Equal("JOB_COMPLETION_INDEX 2 is out of range for 2 shards (numbered 0 to 1): make the Job's completions and the shard count agree.", error.Message);
    }

    [Fact]
    public void Auto_outside_an_array_job_says_what_it_looked_for()
    {
        var error = Assert.Throws<SleapException>(() => ShardSpec.Parse("auto", NoEnv));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("No scheduler set a shard index: neither SLURM_ARRAY_TASK_ID (an sbatch --array job) nor JOB_COMPLETION_INDEX " +
            "(a Kubernetes Indexed Job) is set. Run inside an array job, or give the shard as i/n (-Shard 0/4).", error.Message);
    }
}
