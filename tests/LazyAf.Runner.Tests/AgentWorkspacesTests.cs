using LazyAf.Runner.Remote;
using LazyAf.Testing;
using Serilog.Core;

namespace LazyAf.Runner.Tests;

/// <summary>
/// An agent's workspaces on disk: a step's own, released, stays warm for its repo's next step (outside a run, or a
/// run's first), never another repo's; a run's stays the run's. What the reused checkout then looks like is
/// <see cref="ReusedWorkspaceTests"/>' and RunnerAgentTests' (the agent as a process).
/// </summary>
public sealed class AgentWorkspacesTests : IDisposable
{
    private const string RepoA = "http://127.0.0.1:1234/git/repo-a.git";
    private const string RepoB = "http://127.0.0.1:1234/git/repo-b.git";
    private readonly TempDir _root = new("lazyaf-agent-workspaces");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_released_workspace_is_taken_by_the_repos_next_step_and_never_by_another_repos()
    {
        var workspaces = Workspaces();
        using (var first = workspaces.Acquire(Spec(RepoA)))
            CheckOut(first, "left.txt");

        using var other = workspaces.Acquire(Spec(RepoB));
        var step = Spec(RepoA);
        using var next = workspaces.Acquire(step);

        Assert.False(other.Reused);
        Assert.False(Directory.Exists(other.Path));
        Assert.True(next.Reused);
        Assert.True(File.Exists(Path.Combine(next.Path, "left.txt")));
        // Under the step's own name, where a restarted agent re-attaching to the step looks for it.
        Assert.Equal(Path.Combine(_root.Path, step.ExecutionId), next.Path);
    }

    [Fact]
    public void Two_steps_of_the_repo_at_once_get_separate_workspaces_and_only_one_of_them_the_warm_one()
    {
        var workspaces = Workspaces();
        using (var first = workspaces.Acquire(Spec(RepoA)))
            CheckOut(first, "left.txt");

        using var one = workspaces.Acquire(Spec(RepoA));
        using var two = workspaces.Acquire(Spec(RepoA));

        Assert.NotEqual(one.Path, two.Path);
        Assert.Equal([true, false], new[] { one.Reused, two.Reused });
        Assert.False(Directory.Exists(two.Path));
    }

    [Fact]
    public void A_runs_first_step_takes_a_warm_workspace_its_later_steps_keep_the_runs_and_it_does_not_become_warm()
    {
        var workspaces = Workspaces();
        using (var own = workspaces.Acquire(Spec(RepoA)))
            CheckOut(own, "left.txt");

        using (var first = workspaces.Acquire(Spec(RepoA, run: "r1")))
        {
            Assert.True(first.Reused);
            Assert.Equal("run-r1", Path.GetFileName(first.Path));
            File.WriteAllText(Path.Combine(first.Path, "build-cache"), "kept for the run");
        }
        using (var later = workspaces.Acquire(Spec(RepoA, run: "r1")))
        {
            Assert.False(later.Reused);
            Assert.True(File.Exists(Path.Combine(later.Path, "build-cache")));
        }
        using var outside = workspaces.Acquire(Spec(RepoA));

        Assert.False(outside.Reused);
        Assert.True(Directory.Exists(Path.Combine(_root.Path, "run-r1")));
    }

    [Fact]
    public void The_most_recently_released_is_kept_warm_and_the_one_beyond_the_limit_goes()
    {
        var workspaces = Workspaces();
        var one = workspaces.Acquire(Spec(RepoA));
        var two = workspaces.Acquire(Spec(RepoA));
        CheckOut(one, "one.txt");
        CheckOut(two, "two.txt");
        one.Dispose();
        two.Dispose();

        Assert.Single(Warm());
        using var next = workspaces.Acquire(Spec(RepoA));
        Assert.True(next.Reused);
        Assert.True(File.Exists(Path.Combine(next.Path, "two.txt")));
    }

    [Fact]
    public void With_none_kept_warm_or_without_a_checkout_a_released_workspace_is_removed()
    {
        var cold = Workspaces(warmPerRepo: 0);
        using (var first = cold.Acquire(Spec(RepoA)))
            CheckOut(first, "left.txt");
        using (var failedEarly = Workspaces().Acquire(Spec(RepoB)))
            Directory.CreateDirectory(failedEarly.Path);

        Assert.Empty(Directory.GetDirectories(_root.Path));
        using var next = cold.Acquire(Spec(RepoA));
        Assert.False(next.Reused);
    }

    [Fact]
    public void A_debug_environment_that_attaches_does_not_take_a_warm_workspace()
    {
        var workspaces = Workspaces();
        using (var first = workspaces.Acquire(Spec(RepoA)))
            CheckOut(first, "left.txt");

        using var attached = workspaces.Acquire(Spec(RepoA, run: "r1"), takeWarm: false);

        Assert.False(attached.Reused);
        Assert.False(Directory.Exists(attached.Path));
        Assert.Single(Warm());
    }

    [Fact]
    public void A_warm_workspace_outlives_an_agent_restart_and_goes_once_idle_like_a_runs()
    {
        var workspaces = Workspaces();
        using (var first = workspaces.Acquire(Spec(RepoA)))
            CheckOut(first, "left.txt");
        using (var second = workspaces.Acquire(Spec(RepoB)))
            CheckOut(second, "left.txt");
        var (warmA, warmB) = (Warm(RepoA), Warm(RepoB));

        var restarted = Workspaces();
        restarted.ClearLeftovers();
        Assert.Equal(2, Warm().Length);

        Directory.SetLastWriteTimeUtc(warmA, DateTime.UtcNow - AgentWorkspaces.Idle - TimeSpan.FromMinutes(1));
        restarted.ClearLeftovers();

        Assert.Equal([warmB], Warm());
        using var next = restarted.Acquire(Spec(RepoA));
        Assert.False(next.Reused);
    }

    private AgentWorkspaces Workspaces(int warmPerRepo = 1) => new(_root.Path, warmPerRepo, Logger.None);

    private string[] Warm() => Directory.GetDirectories(_root.Path, "warm-*");

    private string Warm(string repo) => Assert.Single(Directory.GetDirectories(_root.Path, $"warm-{Git.GitObjectCache.Key(repo)}-*"));

    // What a step's checkout leaves: a .git and a file.
    private static void CheckOut(AgentWorkspaces.Lease lease, string file)
    {
        Directory.CreateDirectory(Path.Combine(lease.Path, ".git"));
        File.WriteAllText(Path.Combine(lease.Path, file), file);
    }

    private static StepSpec Spec(string cloneUrl, string? run = null) => new(
        ExecutionId: "exec-" + Guid.NewGuid().ToString("N")[..8],
        Repo: new RepoCheckout(cloneUrl, Token: null, BaseBranch: "main", BaseCommit: null, WorkBranch: "lazyaf/card-1"),
        Step: new ScriptStepDefinition("true"),
        Env: new Dictionary<string, string>(),
        Secrets: new Dictionary<string, string>(),
        Timeout: TimeSpan.FromMinutes(1),
        Context: new StepContext("t", "d", []),
        Commit: new CommitSettings("m", "n", "e@x")) { RunId = run };
}
