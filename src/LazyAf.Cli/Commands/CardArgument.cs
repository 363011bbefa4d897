using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;

namespace LazyAf.Cli.Commands;

/// <summary>The <c>CARD</c> argument that the card commands share: a card's id, a unique prefix of it, or its branch's 8-character suffix.</summary>
internal static class CardArgument
{
    public static Argument<string> Create(string name = "card") =>
        new(name) { Description = "The card's id, a unique prefix of it, or its branch's 8-character suffix (see: lazyaf cards REPO)" };

    public static CliFailure NotFound(string id) => new($"no card '{id}'");

    /// <summary>The whole id of the card <paramref name="given"/> names; a <see cref="CliFailure"/> when none or several do.</summary>
    public static async Task<string> ResolveAsync(ApiClient api, string given, CancellationToken ct)
    {
        if (IdPrefix.IsFull(given))
            return given;
        var candidates = new List<Candidate>();
        foreach (var repo in await api.ListReposAsync(ct))
        {
            // A repo deleted meanwhile has no cards to offer.
            foreach (var card in await api.ListCardsAsync(repo.Id, null, ct) ?? [])
                candidates.Add(new Candidate(card.Id, $"{repo.Name}: {card.Title}", card.BranchName));
        }
        return IdPrefix.Pick("card", given, candidates, c => IdPrefix.Matches(c.Id, given) || IsBranchSuffix(c, given), () => NotFound(given));
    }

    // Card branches end with the card id's last 8 characters (IdPrefix.Matches); a branch the user named may end in those typed too.
    private static bool IsBranchSuffix(Candidate card, string given) =>
        given.Length == IdPrefix.ShortLength && card.Branch?.EndsWith(given, StringComparison.OrdinalIgnoreCase) == true;
}
