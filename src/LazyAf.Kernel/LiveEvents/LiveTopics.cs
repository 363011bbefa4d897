namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// The topics events carry: <c>runners</c>, or <c>KIND:ID</c> with a kind below and a record's id. A client asking for
/// anything else would wait forever for an event that cannot come, so it is told instead.
/// </summary>
public static class LiveTopics
{
    /// <summary>Every topic that stands alone.</summary>
    public static readonly IReadOnlySet<string> Plain = new HashSet<string>(StringComparer.Ordinal) { "runners" };

    /// <summary>
    /// The kinds of <c>KIND:ID</c>: the records events are about, and the execution kinds whose subject an execution names
    /// (<c>card</c>, <c>pipeline_step</c> with the run's id, <c>playground</c>).
    /// </summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "repo", "card", "pipeline_run", "pipeline_step", "playground", "execution", "workspace", "runner", "debug_session",
    };

    /// <summary>Why no event can ever carry <paramref name="topic"/>; null when one can.</summary>
    public static string? Problem(string topic)
    {
        if (Plain.Contains(topic))
            return null;
        var colon = topic.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return $"'{Shorten(topic)}' is not a topic: topics are {string.Join(", ", Plain)} or KIND:ID with KIND one of {string.Join(", ", Kinds.Order(StringComparer.Ordinal))}";
        var kind = topic[..colon];
        if (!Kinds.Contains(kind))
            return $"'{Shorten(topic)}' names no kind of topic: KIND is one of {string.Join(", ", Kinds.Order(StringComparer.Ordinal))}";
        if (!Ids.IsValid(topic[(colon + 1)..]))
            return $"'{Shorten(topic)}' needs the {kind}'s id (32 lower-case hex characters), not a name";
        return null;
    }

    /// <summary>The first topic no event can carry, with why; null when each can.</summary>
    public static string? ProblemOf(IEnumerable<string> topics) => topics.Select(Problem).FirstOrDefault(p => p is not null);

    private static string Shorten(string topic) => topic.Length <= 80 ? topic : $"{topic[..80]}…";
}
