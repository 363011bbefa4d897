namespace LazyAf.Testing.Models;

/// <summary>
/// The real agent CLIs the tests run, installed by <c>scripts/test</c> into <c>tools/agent-clis</c>
/// (<c>npm install</c> of the versions its package.json pins).
/// </summary>
public static class AgentClis
{
    /// <summary>Path of <c>claude</c>.</summary>
    public static string Claude => Find("claude");

    /// <summary>Path of <c>gemini</c>.</summary>
    public static string Gemini => Find("gemini");

    /// <summary>Path of <c>codex</c>.</summary>
    public static string Codex => Find("codex");

    private static string Find(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tools", "agent-clis", "node_modules", ".bin", name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException($"{name} is not installed: run scripts/test (or npm install in tools/agent-clis) first.");
    }

    /// <summary>Host settings that point the local executor's Claude Code at <paramref name="server"/>, with sessions under <paramref name="configDir"/>.</summary>
    public static Dictionary<string, string> ClaudeSettings(ScriptedModelServer server, string configDir) => new()
    {
        ["Agents:Executables:claude-code"] = Claude,
        ["Agents:Env:ANTHROPIC_BASE_URL"] = server.BaseUrl,
        ["Agents:Env:ANTHROPIC_API_KEY"] = "sk-test-scripted",
        ["Agents:Env:CLAUDE_CONFIG_DIR"] = configDir,
        ["Agents:Env:CLAUDE_CODE_MAX_RETRIES"] = "1",
    };
}
