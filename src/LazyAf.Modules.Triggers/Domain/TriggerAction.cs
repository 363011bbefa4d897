namespace LazyAf.Modules.Triggers.Domain;

/// <summary>
/// What a trigger does when its run ends: <c>on_pass</c> is <c>merge</c>, <c>merge:{branch}</c> or
/// <c>nothing</c>; <c>on_fail</c> is <c>fail</c>, <c>reject</c> or <c>nothing</c>.
/// </summary>
internal sealed record TriggerAction(string Verb, string? Branch)
{
    public const string Merge = "merge";
    public const string Fail = "fail";
    public const string Reject = "reject";
    public const string Nothing = "nothing";

    public static TriggerAction Parse(string? text)
    {
        var value = string.IsNullOrWhiteSpace(text) ? Nothing : text.Trim();
        if (value.StartsWith(Merge + ":", StringComparison.Ordinal))
            return new TriggerAction(Merge, value[(Merge.Length + 1)..]);
        return new TriggerAction(value, null);
    }
}
