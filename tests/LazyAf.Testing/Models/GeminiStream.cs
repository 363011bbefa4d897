using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Testing.Models;

/// <summary>
/// Writes a scripted turn as the Gemini API's <c>generateContent</c> answer: one candidate whose parts are the
/// turn's text and <c>functionCall</c>s, with usage. <c>:streamGenerateContent?alt=sse</c> gets it as one
/// server-sent event, <c>:generateContent</c> as a plain JSON body.
/// </summary>
internal static class GeminiStream
{
    public static async Task WriteAsync(HttpResponse response, string model, ModelTurn turn, bool stream, CancellationToken ct)
    {
        var parts = new JsonArray();
        foreach (var block in turn.Blocks)
        {
            parts.Add(block is ToolBlock tool
                ? new JsonObject { ["functionCall"] = new JsonObject { ["name"] = tool.Tool, ["args"] = tool.Input.DeepClone() } }
                : new JsonObject { ["text"] = ((TextBlock)block).Text });
        }
        var answer = new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["role"] = "model", ["parts"] = parts },
                ["finishReason"] = "STOP",
                ["index"] = 0,
            }),
            ["usageMetadata"] = new JsonObject
            {
                ["promptTokenCount"] = turn.Usage.Input,
                ["candidatesTokenCount"] = turn.Usage.Output,
                ["totalTokenCount"] = turn.Usage.Input + turn.Usage.Output,
            },
            ["modelVersion"] = model,
        };
        var json = answer.ToJsonString(JsonSerializerOptions.Default);
        if (stream)
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            await response.WriteAsync($"data: {json}\r\n\r\n", ct);
        }
        else
        {
            response.ContentType = "application/json";
            await response.WriteAsync(json, ct);
        }
        await response.Body.FlushAsync(ct);
    }
}
