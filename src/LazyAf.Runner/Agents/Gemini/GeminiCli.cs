using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LazyAf.Runner.Agents.Gemini;

/// <summary>
/// The Gemini CLI (npm <c>@google/gemini-cli</c>) headless: <c>gemini -p "" --output-format stream-json</c>, with the
/// prompt on standard input (the CLI reads up to 8 MB there; one argument may not exceed 128 KiB on Linux) and the
/// selected agent files' instructions ahead of it, as the CLI cannot append to its own system prompt.
/// <para>
/// Configuration: the CLI gets its own config home (<c>GEMINI_CLI_HOME</c>), by default
/// <c>~/.local/share/lazyaf/gemini</c>, whose <c>.gemini/settings.json</c> the adapter writes when it is missing:
/// API-key auth (the runner's environment supplies <c>GEMINI_API_KEY</c>, and <c>GOOGLE_GEMINI_BASE_URL</c> for
/// another endpoint), at most 3 attempts per model request (so a failing endpoint fails the step in seconds),
/// no usage statistics. Without that file a run with <c>GOOGLE_GEMINI_BASE_URL</c> fails with "Invalid auth
/// method selected", and a system-wide settings file is not an option because the CLI accepts only root-owned
/// ones. The user's own <c>~/.gemini</c> (their login, history, extensions) is neither read nor changed; to use
/// that login for agent steps, select it in the adapter's settings file, or run it with the user's home as the
/// config home. The workspace is trusted (<c>GEMINI_CLI_TRUST_WORKSPACE</c>), except in a gated run: the repo the agent
/// works on must not pre-approve its tools, and the CLI ignores an untrusted folder's <c>.gemini/settings.json</c>
/// and hooks. The settings file turns folder trust off so that an untrusted headless run goes on instead of failing
/// (the adapter adds that to a settings file written before it did).
/// </para>
/// <para>
/// Tools run unasked (<c>--yolo</c>) in the throw-away workspace. The CLI cannot relay permission requests, so with
/// an approval gate it runs in its <c>default</c> approval mode, in which a headless run is offered only tools that
/// need no approval (reading, searching): nothing that changes the workspace or runs a command can happen.
/// A follow-up continues the session's conversation. Gemini keeps sessions per project directory and a follow-up
/// usually runs in a new workspace, so the session's file is found under the config home and imported
/// (<c>--session-file</c>, which goes on under a new session id); <c>--resume</c> is left for a session that is not
/// there, to fail with the CLI's own message. Gemini has no max-turns option (only a setting for all runs) and
/// reports no cost: the host prices its tokens. Pass a model: without one the CLI first asks a small routing model
/// which to use.
/// </para>
/// </summary>
public sealed class GeminiCli : IAgentCli
{
    // Settings for headless runs; the file is written once and then belongs to the operator.
    private const string Settings = """
        {
          "security": { "auth": { "selectedType": "gemini-api-key" }, "folderTrust": { "enabled": false } },
          "general": { "maxAttempts": 3, "enableAutoUpdate": false, "enableAutoUpdateNotification": false },
          "privacy": { "usageStatisticsEnabled": false }
        }
        """;

    // The CLI strips comments from its settings files.
    private static readonly JsonDocumentOptions SettingsReading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly string _configHome;

    /// <summary>An adapter whose CLI keeps its configuration and sessions under <paramref name="configHome"/> (default: <c>~/.local/share/lazyaf/gemini</c>).</summary>
    public GeminiCli(string? configHome = null) =>
        _configHome = Path.GetFullPath(configHome ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "lazyaf", "gemini"));

    /// <inheritdoc />
    public string Kind => "gemini";

    /// <inheritdoc />
    public string Executable => "gemini";

    /// <inheritdoc />
    public AgentLaunch Launch(AgentInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        EnsureSettings();
        // The prompt comes on stdin; -p makes the run headless and is appended to it, so it stays empty.
        List<string> arguments = ["-p", "", "--output-format", "stream-json"];
        arguments.AddRange(invocation.ApprovalGate ? ["--approval-mode", "default"] : ["--yolo"]);
        if (invocation.Model is { Length: > 0 } model)
            arguments.AddRange(["--model", model]);
        if (invocation.ResumeSession is { Length: > 0 } session)
            arguments.AddRange(GeminiSessionRecord.FindFile(_configHome, session) is { } file ? ["--session-file", file] : ["--resume", session]);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GEMINI_CLI_HOME"] = _configHome,
            ["GEMINI_CLI_TRUST_WORKSPACE"] = invocation.ApprovalGate ? "false" : "true",
        };
        return new AgentLaunch(arguments, environment, PromptWithInstructions(invocation));
    }

    /// <inheritdoc />
    public IAgentOutputParser CreateParser() => new GeminiStreamParser(new GeminiSessionRecord(_configHome));

    // The CLI has no option that adds to its system prompt, so the agent files' instructions go ahead of the task.
    private static string PromptWithInstructions(AgentInvocation invocation) =>
        invocation.SystemPrompt is { Length: > 0 } system ? $"{system}\n\n---\n\n{invocation.Prompt}" : invocation.Prompt;

    private void EnsureSettings()
    {
        var directory = Path.Combine(_configHome, ".gemini");
        var file = Path.Combine(directory, "settings.json");
        if (File.Exists(file))
        {
            TurnFolderTrustOff(file);
            return;
        }
        Directory.CreateDirectory(directory);
        Replace(file, Settings, overwrite: false);
    }

    private static void TurnFolderTrustOff(string file)
    {
        if (JsonNode.Parse(File.ReadAllText(file), documentOptions: SettingsReading) is not JsonObject settings)
            return;
        var security = settings["security"] as JsonObject ?? [];
        var folderTrust = security["folderTrust"] as JsonObject ?? [];
        if (folderTrust["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && !on)
            return;
        folderTrust["enabled"] = false;
        security["folderTrust"] = folderTrust;
        settings["security"] = security;
        using var text = new MemoryStream();
        using (var writer = new Utf8JsonWriter(text, new JsonWriterOptions { Indented = true }))
            settings.WriteTo(writer);
        Replace(file, Encoding.UTF8.GetString(text.ToArray()), overwrite: true);
    }

    // Written aside and moved in, so a run starting at the same time never reads half a file.
    private static void Replace(string file, string content, bool overwrite)
    {
        var partial = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(partial, content);
        try
        {
            File.Move(partial, file, overwrite);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(partial);
        }
    }
}
