namespace LazyAf.Runner.Agents.Codex;

/// <summary>
/// Codex (npm <c>@openai/codex</c>) headless: <c>codex exec --json … -</c>, with the prompt on standard input (one
/// argument may not exceed 128 KiB on Linux) and the selected agent files' instructions ahead of it. Codex takes at
/// most <see cref="MaxPromptLength"/> characters of prompt: a longer one is cut there, with a note that sends the
/// model to the whole task in <c>$LAZYAF_PROMPT_FILE</c>.
/// <para>
/// Endpoint: Codex 0.169 ignores <c>OPENAI_BASE_URL</c> (its built-in provider always calls api.openai.com and,
/// when it cannot reach it, keeps "waiting for network" until it is killed), so another endpoint, such as a proxy or a local model server, is given
/// to the adapter: it then declares a model provider with that base URL (<c>…/v1</c>), the Responses API, the key
/// from <c>OPENAI_API_KEY</c> and one retry, so a failing endpoint fails the step in about a second. Without one,
/// Codex uses its own configuration in <c>CODEX_HOME</c> (default <c>~/.codex</c>: the user's login or provider).
/// </para>
/// <para>
/// Tools run unasked and unsandboxed in the throw-away workspace
/// (<c>--dangerously-bypass-approvals-and-sandbox</c>; runners may themselves be containers, where Codex's sandbox
/// cannot always work). <c>codex exec</c> cannot relay permission requests, so with an approval gate it runs in its
/// read-only sandbox instead: commands may read, and edits and writes are refused. Codex has no max-turns option
/// and reports no cost: the host prices its tokens. A follow-up resumes the thread (<c>exec resume</c>).
/// </para>
/// </summary>
public sealed class CodexCli : IAgentCli
{
    /// <summary>The longest prompt Codex accepts, in characters (it refuses a longer one as <c>input_too_large</c>).</summary>
    public const int MaxPromptLength = 1_048_576;

    private const string CutNote = "\n\n[LazyAF: this task is longer than Codex accepts and was cut here. The whole task is in the file "
        + "named by $LAZYAF_PROMPT_FILE (.lazyaf-context/prompt.md); read the rest of it there before you start.]\n";

    private const string Provider = "lazyaf";
    private readonly Uri? _baseUrl;

    private readonly string _home;

    /// <summary>
    /// An adapter that points Codex at <paramref name="baseUrl"/> (an OpenAI-style API root, e.g. <c>http://127.0.0.1:8080/v1</c>),
    /// or at its own configuration when null; <paramref name="home"/> is the <c>CODEX_HOME</c> its runs get (default: this
    /// process's <c>CODEX_HOME</c>, else <c>~/.codex</c>), where it records each response's tokens as it runs.
    /// </summary>
    public CodexCli(Uri? baseUrl = null, string? home = null)
    {
        _baseUrl = baseUrl;
        _home = home ?? (Environment.GetEnvironmentVariable("CODEX_HOME") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".codex"));
    }

    /// <inheritdoc />
    public string Kind => "codex";

    /// <inheritdoc />
    public string Executable => "codex";

    /// <inheritdoc />
    public AgentLaunch Launch(AgentInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        List<string> arguments = ["exec", "--json", "--skip-git-repo-check", "-c", "analytics.enabled=false"];
        arguments.AddRange(invocation.ApprovalGate ? ["--sandbox", "read-only"] : ["--dangerously-bypass-approvals-and-sandbox"]);
        if (invocation.Model is { Length: > 0 } model)
            arguments.AddRange(["--model", model]);
        if (_baseUrl is not null)
        {
            arguments.AddRange(Config("model_provider", Provider));
            arguments.AddRange(Config($"model_providers.{Provider}.name", "LazyAF model endpoint"));
            arguments.AddRange(Config($"model_providers.{Provider}.base_url", _baseUrl.AbsoluteUri.TrimEnd('/')));
            arguments.AddRange(Config($"model_providers.{Provider}.env_key", "OPENAI_API_KEY"));
            arguments.AddRange(Config($"model_providers.{Provider}.wire_api", "responses"));
            arguments.AddRange(["-c", $"model_providers.{Provider}.request_max_retries=1", "-c", $"model_providers.{Provider}.stream_max_retries=1"]);
        }
        if (invocation.ResumeSession is { Length: > 0 } session)
            arguments.AddRange(["resume", session]);
        // "-": the prompt is read from standard input.
        arguments.Add("-");
        return new AgentLaunch(arguments, new Dictionary<string, string>(StringComparer.Ordinal), PromptWithInstructions(invocation));
    }

    /// <inheritdoc />
    public IAgentOutputParser CreateParser() => new CodexStreamParser(new CodexSessionRecord(_home));

    // A -c override whose value is a TOML string (a URL has no quotes or backslashes once it is a Uri).
    private static string[] Config(string key, string value) => ["-c", $"{key}=\"{value}\""];

    // Codex has no option that adds to its system prompt, so the agent files' instructions go ahead of the task.
    private static string PromptWithInstructions(AgentInvocation invocation)
    {
        var prompt = invocation.SystemPrompt is { Length: > 0 } system ? $"{system}\n\n---\n\n{invocation.Prompt}" : invocation.Prompt;
        if (prompt.Length <= MaxPromptLength)
            return prompt;
        // Codex counts Unicode characters, never more than UTF-16 units, so this cut always fits.
        var head = prompt.AsSpan(0, MaxPromptLength - CutNote.Length);
        if (char.IsHighSurrogate(head[^1]))
            head = head[..^1];
        return string.Concat(head, CutNote);
    }
}
