using System.Reflection;
using LazyAf.Runner.Processes;
using Xunit.Sdk;

namespace LazyAf.Runner.Tests;

/// <summary>The cgroup mode as a theory row, skipped (with the machine's reason) where cgroups cannot be had.</summary>
public sealed class CgroupModeAttribute : DataAttribute
{
    public CgroupModeAttribute()
    {
        if (StepContainment.Unavailable(ContainmentMode.Cgroup) is { } reason)
            Skip = $"no cgroup v2 here: {reason}";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[ContainmentMode.Cgroup]];
}
