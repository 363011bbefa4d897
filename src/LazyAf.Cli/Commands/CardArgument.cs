using System.CommandLine;

namespace LazyAf.Cli.Commands;

/// <summary>The <c>CARD</c> argument that the card commands share: a card's id.</summary>
internal static class CardArgument
{
    public static Argument<string> Create() => new("card") { Description = "The card's id (see: lazyaf cards REPO)" };

    public static CliFailure NotFound(string id) => new($"no card '{id}'");
}
