using LazyAf.Kernel;
using LazyAf.Modules.Cards.Contracts;

namespace LazyAf.Modules.Cards.Domain;

internal static class CardSnapshots
{
    public static CardSnapshot Of(CardRow row) =>
        new(row.Id, row.RepoId, row.Title, EnumText.Parse<CardStatus>(row.Status), row.StepType, row.BranchName, row.Position, row.UpdatedAt);
}
