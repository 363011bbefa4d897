using System.Globalization;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Failures;
using LazyAf.Mcp.Prompts;
using LazyAf.Mcp.Resources;
using LazyAf.Mcp.Results;
using LazyAf.Mcp.Tools;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp;

/// <summary>
/// LazyAF's MCP server: one set of tools, resources and prompts, each calling the host's HTTP API through the
/// <see cref="IApiTarget"/> the caller registers. The host adds the Streamable HTTP transport (<c>/mcp</c>), the CLI
/// stdio (<c>lazyaf mcp</c>), so both behave the same.
/// </summary>
public static class LazyAfMcp
{
    /// <summary>The server's name in the MCP handshake (and in an MCP config).</summary>
    public const string ServerName = "lazyaf";

    /// <summary>
    /// Registers the MCP server with every LazyAF tool, resource and prompt, tool errors carrying the API's problem
    /// detail and every text result capped by <see cref="McpSettings"/>. The caller registers an <see cref="IApiTarget"/>
    /// and the settings, and adds a transport to the builder returned.
    /// </summary>
    public static IMcpServerBuilder AddLazyAfMcp(this IServiceCollection services)
    {
        services.AddOptions<McpSettings>();
        services.AddSingleton<ApiHttp>();
        services.AddSingleton<ResultCap>();
        services.AddTransient<LazyAfApi>();
        services.AddTransient<FailureSummaries>();
        return services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = ServerName, Title = "LazyAF", Version = Version };
                options.ServerInstructions = Instructions;
            })
            .WithTools<RepoTools>()
            .WithTools<CardTools>()
            .WithTools<CardWorkTools>()
            .WithTools<ExecutionTools>()
            .WithTools<PipelineTools>()
            .WithTools<PipelineRunTools>()
            .WithTools<AgentTools>()
            .WithTools<PlaygroundTools>()
            .WithTools<RunnerTools>()
            .WithTools<ReportTools>()
            .WithTools<WaitTool>()
            .WithTools<DebugTools>()
            .WithResources<LazyAfResources>()
            .WithPrompts<LazyAfPrompts>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolResultFilter.Wrap));
    }

    /// <summary>
    /// Serves the tools over <paramref name="input"/> and <paramref name="output"/> (stdio: <c>lazyaf mcp</c>) until the
    /// client closes its end or <paramref name="ct"/> is cancelled; every call goes to <paramref name="target"/>.
    /// </summary>
    public static async Task ServeStreamsAsync(IApiTarget target, McpSettings settings, Stream input, Stream output, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddSingleton(target);
        services.AddLazyAfMcp().WithStreamServerTransport(input, output);
        services.Configure<McpSettings>(options => options.MaxResultChars = settings.MaxResultChars);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<McpServer>().RunAsync(ct);
    }

    private static string Version =>
        typeof(LazyAfMcp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static readonly string Instructions = string.Create(CultureInfo.InvariantCulture, $"""
        LazyAF is a local CI/CD platform: repos live on its own git server, cards on a board run a step (an agent such as
        Claude Code, a script or a docker command) on a branch and go to review, and pipelines test branches.
        Ids are 32 hex characters; where a tool takes a repo, its name works too. start_card, retry_card, follow_up_card,
        run_pipeline and playground_run return at once with the ids to follow: call wait (at most {WaitTool.MaxTimeoutSeconds} s a call).
        Text results are cut at a limit and say so; read logs in parts (get_execution_logs tail_lines, after_seq,
        stderr_only, max_bytes; search_execution_logs) and start with get_failure_summary when something failed.
        """);
}
