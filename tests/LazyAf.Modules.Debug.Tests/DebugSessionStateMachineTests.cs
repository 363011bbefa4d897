using LazyAf.Modules.Debug.Domain;
using LazyAf.Testing;

namespace LazyAf.Modules.Debug.Tests;

public sealed class DebugSessionStateMachineTests
{
    [Fact]
    public async Task The_documented_state_diagram_matches_the_code()
    {
        var documented = await RepoFiles.ReadAsync("docs/state-machines/debug-session.mmd");
        Assert.True(documented.Trim() == DebugSession.StateDiagram().Trim(),
            $"docs/state-machines/debug-session.mmd is out of date; it should be:\n{DebugSession.StateDiagram()}");
    }
}
