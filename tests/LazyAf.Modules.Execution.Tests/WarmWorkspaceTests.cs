using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// A card's step runs in the workspace the repo's previous step gave back (kept warm) and finds it as clean as a new
/// clone: on the real host, its git server, real git and SQLite.
/// </summary>
public sealed class WarmWorkspaceTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly CardRuns _runs = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_next_step_of_a_repo_runs_in_the_last_ones_directory_and_sees_a_clean_clone_with_nothing_it_planted()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "warm-clean");
        await repo.CommitAsync(".gitignore", "build/\n", "Ignore build output");
        await repo.CommitAsync("tracked.txt", "as committed\n", "A tracked file");
        await repo.PushAsync("HEAD:main");
        var main = await repo.GitAsync("rev-parse", "HEAD");
        var marks = Directory.CreateDirectory(_work.Combine("marks")).FullName;

        // Everything a step could leave that a new clone would not have, and things that would run commands for the next.
        var first = await RunAsync(repo, string.Join("; ",
            $"pwd > {marks}/first-dir",
            "echo changed > tracked.txt",
            "echo untracked > untracked.txt",
            "mkdir -p build && echo ignored > build/out.o",
            "git init --quiet build/nested",
            $"printf '#!/bin/sh\\ntouch {marks}/hook-ran\\n' > .git/hooks/post-checkout && chmod +x .git/hooks/post-checkout",
            $"cp .git/hooks/post-checkout .git/hooks/pre-commit",
            $"git config filter.planted.smudge 'touch {marks}/filter-ran; cat'",
            $"git config filter.planted.clean 'touch {marks}/filter-ran; cat'",
            "echo '* filter=planted' > .git/info/attributes",
            $"git config core.fsmonitor 'touch {marks}/fsmonitor-ran; true'",
            $"mkdir -p {marks}/hooks && cp .git/hooks/post-checkout {marks}/hooks/ && git config core.hooksPath {marks}/hooks",
            "git branch planted-branch",
            "git tag planted-tag"));
        Assert.NotEqual(main, first.Commit);
        // The first step's own commit ran what it planted; only the second's must not.
        string[] planted = ["hook-ran", "filter-ran", "fsmonitor-ran"];
        foreach (var mark in planted)
            File.Delete(Path.Combine(marks, mark));

        var second = await RunAsync(repo, string.Join("; ",
            $"pwd > {marks}/second-dir",
            $"git status --porcelain --ignored > {marks}/status",
            $"cat tracked.txt > {marks}/tracked",
            $"git rev-parse HEAD > {marks}/head",
            $"git symbolic-ref HEAD > {marks}/branch",
            $"git log --format=%s -1 origin/main > {marks}/log",
            $"git diff --name-only origin/main > {marks}/diff",
            $"git for-each-ref --format='%(refname)' refs/heads refs/tags > {marks}/refs",
            $"ls -A > {marks}/entries",
            $"ls -A .git/hooks | grep -v '\\.sample$' > {marks}/hooks-listed || true"));

        Assert.Equal(await ReadAsync(marks, "first-dir"), await ReadAsync(marks, "second-dir"));
        // Only what the runner writes for every step: the context directory, kept out of commits.
        Assert.Equal("!! .lazyaf-context/", await ReadAsync(marks, "status"));
        Assert.Equal("as committed", await ReadAsync(marks, "tracked"));
        Assert.Equal(main, await ReadAsync(marks, "head"));
        Assert.Equal($"refs/heads/{second.Branch}", await ReadAsync(marks, "branch"));
        Assert.Equal("A tracked file", await ReadAsync(marks, "log"));
        Assert.Equal("", await ReadAsync(marks, "diff"));
        Assert.DoesNotContain("planted", await ReadAsync(marks, "refs"), StringComparison.Ordinal);
        Assert.Equal(".git\n.gitignore\n.lazyaf-context\nREADME.md\ntracked.txt", await ReadAsync(marks, "entries"));
        Assert.Equal("", await ReadAsync(marks, "hooks-listed"));
        // The second card settled, so its checkout and commit are over: nothing the first planted ran for them.
        Assert.DoesNotContain(planted, mark => File.Exists(Path.Combine(marks, mark)));
    }

    [Fact]
    public async Task Another_repos_step_never_gets_the_warm_workspace()
    {
        var mine = await SeededRepo.CreateAsync(fixture.Host, _work, "warm-mine");
        var theirs = await SeededRepo.CreateAsync(fixture.Host, _work, "warm-theirs");
        var marks = Directory.CreateDirectory(_work.Combine("marks")).FullName;

        await RunAsync(mine, $"pwd > {marks}/mine");
        await RunAsync(theirs, $"pwd > {marks}/theirs; git log --format=%s > {marks}/their-log");

        Assert.NotEqual(await ReadAsync(marks, "mine"), await ReadAsync(marks, "theirs"));
        Assert.Equal((await theirs.GitAsync("log", "--format=%s")).Trim(), await ReadAsync(marks, "their-log"));
    }

    private async Task<(string Branch, string Commit)> RunAsync(SeededRepo repo, string command)
    {
        var card = await _runs.CreateScriptCardAsync(repo.Id, command, new { commit = true });
        await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);
        Assert.True(settled.Str("status") == "in_review", settled.ToString());
        var branch = settled.Str("branch_name");
        await repo.GitAsync("fetch", "--quiet", "origin");
        return (branch, (await repo.GitAsync("rev-parse", $"origin/{branch}")).Trim());
    }

    private static async Task<string> ReadAsync(string marks, string name) =>
        (await File.ReadAllTextAsync(Path.Combine(marks, name))).Trim();
}
