namespace LazyAf.Testing.Models;

/// <summary>
/// A LazyAF host whose local executor runs the real Claude Code CLI against a scripted model server of its own,
/// with the CLI's sessions in a temp directory (so follow-ups can resume them).
/// </summary>
public sealed class ClaudeHost : IAsyncDisposable
{
    private readonly TempDir _config;

    private ClaudeHost(TempDir config, ScriptedModelServer model, LazyAfHost host)
    {
        _config = config;
        Model = model;
        Host = host;
    }

    /// <summary>The model endpoint the CLI talks to; <see cref="ScriptedModelServer.Play"/> gives it its turns.</summary>
    public ScriptedModelServer Model { get; }

    public LazyAfHost Host { get; }

    /// <summary>Starts the model server and a host pointed at it; <paramref name="settings"/> are added to the host's configuration.</summary>
    public static async Task<ClaudeHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var config = new TempDir("claude-config");
        var model = await ScriptedModelServer.StartAsync();
        var all = AgentClis.ClaudeSettings(model, config.Path);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            all[key] = value;
        return new ClaudeHost(config, model, LazyAfHost.Start(settings: all));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Model.DisposeAsync();
        _config.Dispose();
    }
}
