namespace LazyAf.Modules.Triggers.Domain;

/// <summary>The kinds of trigger, as pipeline definitions and runs name them.</summary>
internal static class TriggerKinds
{
    public const string CardComplete = "card_complete";
    public const string Push = "push";
    public const string Webhook = "webhook";
    public const string Schedule = "schedule";
}
