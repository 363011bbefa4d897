using System.Text.Json;

namespace LazyAf.Testing;

/// <summary>A LazyAF repo with a local working clone whose <c>origin</c> is LazyAF, seeded with one commit on main.</summary>
public sealed record SeededRepo(LazyAfHost Host, string Id, string WorkTree)
{
    public static async Task<SeededRepo> CreateAsync(LazyAfHost host, TempDir work, string name)
    {
        var id = await host.CreateRepoAsync(name);
        var clone = await TestGit.InitAsync(work.Combine(name));
        await TestGit.RunAsync(clone, "remote", "add", "origin", host.GitUrl(id));
        await TestGit.RunAsync(clone, "push", "--quiet", "origin", "main");
        return new SeededRepo(host, id, clone);
    }

    public string BarePath => Path.Combine(Host.DataDir, "repos", Id + ".git");

    public Task<string> CommitAsync(string file, string content, string message) => TestGit.CommitFileAsync(WorkTree, file, content, message);

    public Task<string> GitAsync(params string[] args) => TestGit.RunAsync(WorkTree, args);

    public Task PushAsync(params string[] refs) => TestGit.RunAsync(WorkTree, ["push", "--quiet", "origin", .. refs]);

    /// <summary>A ref's sha in LazyAF's bare repo, or null.</summary>
    public async Task<string?> RemoteShaAsync(string branch) =>
        (await TestGit.LsRemoteAsync(WorkTree, "origin")).GetValueOrDefault("refs/heads/" + branch);

    public async Task<JsonElement[]> PushesAsync()
    {
        var body = await (await Host.Client.GetAsync($"/api/repos/{Id}/pushes?limit=1000")).JsonAsync(System.Net.HttpStatusCode.OK);
        return [.. body.EnumerateArray()];
    }
}
