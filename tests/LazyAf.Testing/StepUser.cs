using System.Diagnostics;
using LazyAf.Runner.Processes;
using Xunit;

namespace LazyAf.Testing;

/// <summary>A fact that needs root (to switch users); skipped with that reason otherwise.</summary>
public sealed class AsRootFactAttribute : FactAttribute
{
    public AsRootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
            Skip = "running a step as another user needs root; these tests do not run as root";
    }
}

/// <summary>An unprivileged user for steps, made with useradd when this machine has none yet.</summary>
public static class StepUser
{
    public const string Name = "lazyaf-step";

    private static readonly Lazy<UnixUser> User = new(() =>
    {
        if (UnixUser.Find(Name) is { } existing)
            return existing;
        using var useradd = Process.Start(new ProcessStartInfo("useradd", ["--create-home", "--shell", "/bin/sh", Name]) { RedirectStandardError = true })!;
        var error = useradd.StandardError.ReadToEnd();
        useradd.WaitForExit();
        // Two test processes may race to make it; the loser finds it made.
        return UnixUser.Find(Name) ?? throw new InvalidOperationException($"useradd {Name} failed ({useradd.ExitCode}): {error}");
    });

    public static UnixUser Get() => User.Value;
}
