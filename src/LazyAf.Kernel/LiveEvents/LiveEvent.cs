using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// One event as <c>/ws</c> sends it: <c>{type, id, at, payload}</c>, serialized once and shared by
/// every subscriber.
/// </summary>
internal sealed record LiveEvent(long Id, string Type, IReadOnlyList<string> Topics, ReadOnlyMemory<byte> Message)
{
    public static LiveEvent From(long id, string type, string payload, string topics, DateTimeOffset at)
    {
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteNumber("id", id);
            json.WriteString("at", at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            json.WritePropertyName("payload");
            try
            {
                // Validated: a row that is not JSON (a dead letter) must not break every client's stream.
                json.WriteRawValue(payload);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                json.WriteNullValue();
            }
            json.WriteEndObject();
        }
        return new LiveEvent(id, type, topics.Split(' ', StringSplitOptions.RemoveEmptyEntries), buffer.WrittenMemory);
    }

    /// <summary>A message about the stream itself (e.g. <c>stream.gap</c>), not from the event log.</summary>
    public static ReadOnlyMemory<byte> Control(string type, object payload) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?> { ["type"] = type, ["id"] = null, ["payload"] = payload });
}
