using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Testing.Models;

/// <summary>Writes a scripted turn as the Anthropic Messages API's server-sent events.</summary>
internal static class AnthropicStream
{
    public static async Task WriteAsync(HttpResponse response, string model, ModelTurn turn, CancellationToken ct)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var id = "msg_" + Guid.NewGuid().ToString("N")[..20];
        await EventAsync(response, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id, ["type"] = "message", ["role"] = "assistant", ["model"] = model,
                ["content"] = new JsonArray(), ["stop_reason"] = null, ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = turn.Usage.Input, ["output_tokens"] = 1 },
            },
        }, ct);

        for (var index = 0; index < turn.Blocks.Count; index++)
            await BlockAsync(response, index, turn.Blocks[index], ct);

        var stopReason = turn.Blocks.Any(b => b is ToolBlock) ? "tool_use" : "end_turn";
        await EventAsync(response, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = turn.Usage.Output },
        }, ct);
        await EventAsync(response, "message_stop", new JsonObject { ["type"] = "message_stop" }, ct);
    }

    private static async Task BlockAsync(HttpResponse response, int index, ModelBlock block, CancellationToken ct)
    {
        JsonObject start;
        JsonObject delta;
        if (block is ToolBlock tool)
        {
            start = new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_" + Guid.NewGuid().ToString("N")[..20], ["name"] = tool.Tool, ["input"] = new JsonObject() };
            delta = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = tool.Input.ToJsonString() };
        }
        else
        {
            start = new JsonObject { ["type"] = "text", ["text"] = "" };
            delta = new JsonObject { ["type"] = "text_delta", ["text"] = ((TextBlock)block).Text };
        }
        await EventAsync(response, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = start }, ct);
        await EventAsync(response, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = delta }, ct);
        await EventAsync(response, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }, ct);
    }

    private static async Task EventAsync(HttpResponse response, string name, JsonObject data, CancellationToken ct)
    {
        await response.WriteAsync($"event: {name}\ndata: {data.ToJsonString(JsonSerializerOptions.Default)}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
