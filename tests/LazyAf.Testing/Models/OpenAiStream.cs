using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Testing.Models;

/// <summary>
/// Writes a scripted turn as the OpenAI Responses API's server-sent events (<c>response.created</c>,
/// <c>response.output_item.added</c>/<c>.done</c> per block, <c>response.completed</c> with usage), as Codex
/// reads them. A tool the request declares as <c>custom</c> (Codex's freeform <c>apply_patch</c>) is called with
/// the string in the block's <c>input</c> property; any other tool is a <c>function_call</c> with JSON arguments.
/// </summary>
internal static class OpenAiStream
{
    public static async Task WriteAsync(HttpResponse response, string model, ModelTurn turn, IReadOnlySet<string> customTools, CancellationToken ct)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var id = "resp_" + Guid.NewGuid().ToString("N")[..20];
        await EventAsync(response, "response.created", new JsonObject
        {
            ["type"] = "response.created",
            ["response"] = new JsonObject { ["id"] = id, ["object"] = "response", ["model"] = model, ["status"] = "in_progress", ["output"] = new JsonArray() },
        }, ct);

        var output = new JsonArray();
        for (var index = 0; index < turn.Blocks.Count; index++)
        {
            var item = Item(turn.Blocks[index], customTools);
            await EventAsync(response, "response.output_item.added", new JsonObject
            {
                ["type"] = "response.output_item.added", ["output_index"] = index, ["item"] = item.DeepClone(),
            }, ct);
            await EventAsync(response, "response.output_item.done", new JsonObject
            {
                ["type"] = "response.output_item.done", ["output_index"] = index, ["item"] = item.DeepClone(),
            }, ct);
            output.Add(item);
        }

        await EventAsync(response, "response.completed", new JsonObject
        {
            ["type"] = "response.completed",
            ["response"] = new JsonObject
            {
                ["id"] = id, ["object"] = "response", ["model"] = model, ["status"] = "completed", ["output"] = output,
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = turn.Usage.Input,
                    ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
                    ["output_tokens"] = turn.Usage.Output,
                    ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
                    ["total_tokens"] = turn.Usage.Input + turn.Usage.Output,
                },
            },
        }, ct);
    }

    private static JsonObject Item(ModelBlock block, IReadOnlySet<string> customTools)
    {
        var callId = "call_" + Guid.NewGuid().ToString("N")[..20];
        return block switch
        {
            ToolBlock tool when customTools.Contains(tool.Tool) => new JsonObject
            {
                ["type"] = "custom_tool_call", ["id"] = "ctc_" + callId[5..], ["call_id"] = callId, ["status"] = "completed",
                ["name"] = tool.Tool, ["input"] = tool.Input["input"]?.GetValue<string>() ?? "",
            },
            ToolBlock tool => new JsonObject
            {
                ["type"] = "function_call", ["id"] = "fc_" + callId[5..], ["call_id"] = callId, ["status"] = "completed",
                ["name"] = tool.Tool, ["arguments"] = tool.Input.ToJsonString(JsonSerializerOptions.Default),
            },
            _ => new JsonObject
            {
                ["type"] = "message", ["id"] = "msg_" + callId[5..], ["role"] = "assistant", ["status"] = "completed",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = ((TextBlock)block).Text, ["annotations"] = new JsonArray() }),
            },
        };
    }

    private static async Task EventAsync(HttpResponse response, string name, JsonObject data, CancellationToken ct)
    {
        await response.WriteAsync($"event: {name}\ndata: {data.ToJsonString(JsonSerializerOptions.Default)}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
