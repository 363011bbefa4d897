using System.Text.Json;
using LazyAf.Modules.Cards.Contracts;

namespace LazyAf.Modules.Cards.Domain;

/// <summary>Statuses and triggers as they are stored and shown: snake_case (<c>in_review</c>).</summary>
internal static class CardStatusText
{
    private static readonly Dictionary<string, CardStatus> ByText =
        Enum.GetValues<CardStatus>().ToDictionary(Of, status => status, StringComparer.Ordinal);

    public static string Of(CardStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static string Of(CardTrigger trigger) => JsonNamingPolicy.SnakeCaseLower.ConvertName(trigger.ToString());

    public static CardStatus Parse(string text) =>
        ByText.TryGetValue(text, out var status) ? status : throw new InvalidOperationException($"Unknown card status '{text}'.");

    public static bool TryParse(string? text, out CardStatus status) => ByText.TryGetValue(text ?? "", out status);
}
