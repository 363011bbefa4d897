namespace LazyAf.Mcp.Api;

/// <summary>The API's paths of a card.</summary>
internal static class Cards
{
    /// <summary><c>api/cards/{id}</c>, or one of its actions (<c>api/cards/{id}/start</c>).</summary>
    public static string Path(string cardId, string? action = null) =>
        $"api/cards/{JsonFields.Segment(cardId)}" + (action is null ? "" : "/" + action);
}
