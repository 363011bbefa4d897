namespace LazyAf.Modules.Reports.Domain;

/// <summary>A test the history knows, as ingest needs it: its id, totals and whether it is flagged flaky.</summary>
internal sealed record KnownTest
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public long Passed { get; init; }
    public long Failed { get; init; }
    public DateTimeOffset? FlakyAt { get; init; }
}
