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
        Assert.Equal(bytes, ResourceLimits.MemoryBytes(new Dictionary<string, string> { ["memory"] = text }));

    [Theory]
    [InlineData("1", 1_000_000_000L)]
    [InlineData("1.5", 1_500_000_000L)]
    [InlineData("0.25", 250_000_000L)]
    public void Cpus_become_nano_cpus(string text, long nanoCpus) =>
        Assert.Equal(nanoCpus, ResourceLimits.NanoCpus(new Dictionary<string, string> { ["cpus"] = text }));

    [Fact]
    public void Unset_limits_are_null() =>
        Assert.Equal((null, null), (ResourceLimits.MemoryBytes(new Dictionary<string, string>()), ResourceLimits.NanoCpus(new Dictionary<string, string>())));

    [Theory]
    [InlineData("memory", "lots")]
    [InlineData("memory", "-1m")]
    [InlineData("memory", "5x")]
    [InlineData("cpus", "0")]
    [InlineData("cpus", "-1")]
    [InlineData("cpus", "two")]
    public void Nonsense_limits_fail_the_step_with_the_setting_named(string key, string text)
    {
        var settings = new Dictionary<string, string> { [key] = text };
        var error = Assert.Throws<StepFailedException>(() => (ResourceLimits.MemoryBytes(settings), ResourceLimits.NanoCpus(settings)));
        Assert.StartsWith($"{key} '{text}'", error.Message, StringComparison.Ordinal);
    }
}
