namespace LazyAf.Runner.Docker.Tests;

public sealed class ResourceLimitsTests
{
    [Theory]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("2g", 2L * 1024 * 1024 * 1024)]
    [InlineData("2GB", 2L * 1024 * 1024 * 1024)]
    [InlineData("1.5g", 3L * 512 * 1024 * 1024)]
    [InlineData("64k", 64L * 1024)]
    [InlineData("100000", 100000L)]
    [InlineData("100000b", 100000L)]
    public void Memory_sizes_read_like_dockers(string text, long bytes) =>
        Assert.Equal(bytes, ResourceLimits.MemoryBytes(text));

    [Theory]
    [InlineData(1.0, 1_000_000_000L)]
    [InlineData(1.5, 1_500_000_000L)]
    [InlineData(0.25, 250_000_000L)]
    public void Cpus_become_nano_cpus(double cpus, long nanoCpus) =>
        Assert.Equal(nanoCpus, ResourceLimits.NanoCpus(cpus));

    [Fact]
    public void Unset_limits_are_null() =>
        Assert.Equal((null, null), (ResourceLimits.MemoryBytes(null), ResourceLimits.NanoCpus(null)));

    [Theory]
    [InlineData("lots")]
    [InlineData("-1m")]
    [InlineData("5x")]
    public void Nonsense_memory_fails_the_step_with_the_setting_named(string text)
    {
        var error = Assert.Throws<StepFailedException>(() => ResourceLimits.MemoryBytes(text));
        Assert.StartsWith($"memory '{text}'", error.Message, StringComparison.Ordinal);
    }

    // A cpus that is not a number at all ("two") is refused before it gets here: StepSchema takes only numbers.
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-1.0, "-1")]
    public void Nonsense_cpus_fail_the_step_with_the_setting_named(double cpus, string text)
    {
        var error = Assert.Throws<StepFailedException>(() => ResourceLimits.NanoCpus(cpus));
        Assert.StartsWith($"cpus '{text}'", error.Message, StringComparison.Ordinal);
    }
}
