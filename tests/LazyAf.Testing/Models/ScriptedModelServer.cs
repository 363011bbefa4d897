using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LazyAf.Testing.Models;

/// <summary>
/// A model endpoint on loopback that plays back a script of turns to a real agent CLI, speaking the
/// Anthropic Messages API (Claude Code), the Gemini API (Gemini CLI) and the OpenAI Responses API (Codex),
/// each as server-sent events. Each conversation request (one with tools) gets the next turn; side
/// requests the CLI makes on its own (titles, quota checks, Gemini's model router) get a short text answer, or the
/// smallest JSON their schema allows when they ask for JSON, and use no turn.
/// Every request body is kept, so tests can check what the CLI sent (tool results, prompts).
/// </summary>
public sealed class ScriptedModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ModelTurn> _turns;
    private readonly ConcurrentQueue<JsonObject> _requests = new();

    private ScriptedModelServer(IEnumerable<ModelTurn> turns, Func<HttpContext, Task>? failure)
    {
        _turns = new ConcurrentQueue<ModelTurn>(turns);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/messages", context => failure is null ? AnswerAsync(context) : failure(context));
        _app.MapPost("/v1/messages/count_tokens", () => Results.Json(new { input_tokens = 100 }));
        // Gemini puts the method after the model: /v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse.
        _app.MapPost("/v1beta/models/{call}", context => failure is null ? AnswerGeminiAsync(context) : failure(context));
        _app.MapPost("/v1/responses", context => failure is null ? AnswerOpenAiAsync(context) : failure(context));
    }

    /// <summary>e.g. <c>http://127.0.0.1:40123</c>; give it to the CLI as its base URL.</summary>
    public string BaseUrl => _app.Urls.First();

    /// <summary>Conversation requests received so far (side requests excluded), oldest first.</summary>
    public IReadOnlyList<JsonObject> Requests => [.. _requests];

    /// <summary>Turns not yet played.</summary>
    public int TurnsLeft => _turns.Count;

    /// <summary>Adds <paramref name="turns"/> to the script, after the turns not yet played.</summary>
    public void Play(params ModelTurn[] turns)
    {
        foreach (var turn in turns)
            _turns.Enqueue(turn);
    }

    /// <summary>Starts a server that plays <paramref name="turns"/>; once they run out it answers "Done.".</summary>
    public static Task<ScriptedModelServer> StartAsync(params ModelTurn[] turns) => StartAsync(turns, null);

    /// <summary>Starts a server whose every conversation request gets the same broken answer (a 401, a 529, garbage …).</summary>
    public static Task<ScriptedModelServer> StartFailingAsync(int status, string contentType, string body) =>
        StartAsync([], async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    private static async Task<ScriptedModelServer> StartAsync(IEnumerable<ModelTurn> turns, Func<HttpContext, Task>? failure)
    {
        var server = new ScriptedModelServer(turns, failure);
        await server._app.StartAsync();
        return server;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var turn = NextTurn(body, conversation: body["tools"] is JsonArray { Count: > 0 });
        var model = body["model"]?.GetValue<string>() ?? "claude-scripted";
        await AnthropicStream.WriteAsync(context.Response, model, turn, context.RequestAborted);
    }

    private async Task AnswerGeminiAsync(HttpContext context)
    {
        var call = (string)context.Request.RouteValues["call"]!;
        var separator = call.LastIndexOf(':');
        var (model, method) = separator < 0 ? (call, "") : (call[..separator], call[(separator + 1)..]);
        if (method == "countTokens")
        {
            await context.Response.WriteAsJsonAsync(new { totalTokens = 100 }, context.RequestAborted);
            return;
        }
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var conversation = body["tools"] is JsonArray tools && tools.Any(t => t?["functionDeclarations"] is JsonArray { Count: > 0 });
        var turn = !conversation && body["generationConfig"]?["responseJsonSchema"] is { } schema
            ? ModelTurn.Say(JsonSchemaSample.For(schema)?.ToJsonString() ?? "{}")
            : NextTurn(body, conversation);
        await GeminiStream.WriteAsync(context.Response, model, turn, stream: method == "streamGenerateContent", context.RequestAborted);
    }

    private async Task AnswerOpenAiAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var tools = body["tools"] as JsonArray ?? [];
        var customTools = tools.Where(t => t?["type"]?.GetValue<string>() == "custom")
            .Select(t => t!["name"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var turn = NextTurn(body, conversation: tools.Count > 0);
        var model = body["model"]?.GetValue<string>() ?? "gpt-scripted";
        await OpenAiStream.WriteAsync(context.Response, model, turn, customTools, context.RequestAborted);
    }

    private ModelTurn NextTurn(JsonObject body, bool conversation)
    {
        if (conversation)
            _requests.Enqueue(body);
        return conversation && _turns.TryDequeue(out var next) ? next : ModelTurn.Say("Done.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
