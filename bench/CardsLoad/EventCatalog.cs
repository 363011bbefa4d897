using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace CardsLoad;

/// <summary>What one live event says, parsed once by whichever subscriber receives it first.</summary>
internal sealed record EventInfo(string Type, DateTimeOffset At, string? RepoId, string? Title);

/// <summary>Every event id seen on the stream and what it was about; shared by all subscribers.</summary>
internal sealed class EventCatalog
{
    private readonly ConcurrentDictionary<long, EventInfo> _events = new();

    public EventInfo this[long id] => _events[id];

    /// <summary>The event's id (-1 for a control message such as <c>stream.gap</c>), cataloguing it the first time.</summary>
    public long Record(ReadOnlySpan<byte> message)
    {
        var id = IdOf(message);
        if (id >= 0 && !_events.ContainsKey(id))
            _events.TryAdd(id, Parse(message));
        return id;
    }

    /// <summary>Reads only as far as the top-level <c>id</c> (the second property), so the common case stays cheap.</summary>
    private static long IdOf(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : -1;
            }
            if (reader.CurrentDepth >= 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                reader.Skip();
        }
        return -1;
    }

    private static EventInfo Parse(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        string? repoId = null, title = null;
        if (root.TryGetProperty("payload", out var payload) && payload.TryGetProperty("card", out var card))
        {
            repoId = card.GetProperty("repo_id").GetString();
            title = card.GetProperty("title").GetString();
        }
        var at = DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return new EventInfo(root.GetProperty("type").GetString()!, at, repoId, title);
    }
}
