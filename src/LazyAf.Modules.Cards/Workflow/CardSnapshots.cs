using LazyAf.Kernel;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Domain;

namespace LazyAf.Modules.Cards.Workflow;

internal static class CardSnapshots
{
    public static CardSnapshot Of(CardRow row) =>
        new(row.Id, row.RepoId, row.Title, EnumText.Parse<CardStatus>(row.Status), row.StepType, row.BranchName, row.Position, row.UpdatedAt);
}
