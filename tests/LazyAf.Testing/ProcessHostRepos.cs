using System.Net;

namespace LazyAf.Testing;

/// <summary>Repos on a host running as its own process (<see cref="HostProcess"/>), made through its API and pushed to over git.</summary>
public static class ProcessHostRepos
{
    /// <summary>
    /// A repo called <paramref name="name"/> with one commit on main (plus <paramref name="files"/>, path → content, in a second),
    /// pushed from a new clone under <paramref name="work"/>; returns the repo's id and the clone.
    /// </summary>
    public static async Task<(string Id, string Source)> CreateAsync(HttpClient api, string url, TempDir work, string name, IReadOnlyDictionary<string, string>? files = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        var id = (await (await api.PostJsonAsync("/api/repos", new { name })).JsonAsync(HttpStatusCode.Created)).Str("id");
        var source = await TestGit.InitAsync(work.Combine($"source-{name}"));
        foreach (var (path, content) in files ?? new Dictionary<string, string>())
            await TestGit.CommitFileAsync(source, path, content, $"Add {path}");
        await TestGit.RunAsync(source, "push", "--quiet", $"{url}/git/{id}.git", "main");
        return (id, source);
    }
}
