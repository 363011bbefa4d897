using LazyAf.Kernel;
using LazyAf.Modules.Cards.Contracts;
using Stateless;
using Stateless.Graph;

namespace LazyAf.Modules.Cards.Domain;

/// <summary>
/// A card and its state machine. The machine reads and writes <see cref="Status"/>, which Dapper
/// persists; one machine per card instance, built fresh whenever a card is loaded.
/// </summary>
internal sealed class Card
{
    /// <summary>Every move the machine allows; anything else is refused.</summary>
    public static readonly IReadOnlyList<(CardStatus From, CardTrigger Trigger, CardStatus To)> Transitions =
    [
        (CardStatus.Todo, CardTrigger.Start, CardStatus.InProgress),
        (CardStatus.InProgress, CardTrigger.SubmitForReview, CardStatus.InReview),
        (CardStatus.InProgress, CardTrigger.Fail, CardStatus.Failed),
        (CardStatus.InReview, CardTrigger.Approve, CardStatus.Done),
        (CardStatus.InReview, CardTrigger.Fail, CardStatus.Failed),
        (CardStatus.InReview, CardTrigger.Reject, CardStatus.Todo),
        (CardStatus.InReview, CardTrigger.Retry, CardStatus.InProgress),
        (CardStatus.Failed, CardTrigger.Retry, CardStatus.InProgress),
        (CardStatus.InReview, CardTrigger.FollowUp, CardStatus.InProgress),
        (CardStatus.Failed, CardTrigger.FollowUp, CardStatus.InProgress),
    ];

    /// <summary>Moves LazyAF makes when a step or a trigger action ends; no person pulls them, so none is offered.</summary>
    public static readonly IReadOnlySet<CardTrigger> SystemTriggers = new HashSet<CardTrigger> { CardTrigger.SubmitForReview, CardTrigger.Fail };

    public const string BlockersDoneGuard = "every card it is blocked by is done";
    public const string HasBranchGuard = "the card has a branch to merge";
    public const string AgentStepGuard = "the card's step is an agent, whose session a follow-up continues";

    private readonly StateMachine<CardStatus, CardTrigger> _machine;

    public Card(CardRow row, IReadOnlyList<string> openBlockers)
    {
        Row = row;
        OpenBlockers = openBlockers;
        _machine = new StateMachine<CardStatus, CardTrigger>(
            () => EnumText.Parse<CardStatus>(Row.Status),
            status => Row = Row with { Status = EnumText.Of(status) });
        ConfigureStateMachine();
    }

    /// <summary>The persisted fields; the status inside changes only through <see cref="FireAsync"/>.</summary>
    public CardRow Row { get; private set; }

    public CardStatus Status => EnumText.Parse<CardStatus>(Row.Status);

    /// <summary>Ids of the cards this one is blocked by that are not done yet.</summary>
    public IReadOnlyList<string> OpenBlockers { get; }

    /// <summary>Whether <paramref name="trigger"/> may fire now; if not, the descriptions of the guards that fail (none when the status does not allow it at all).</summary>
    public bool CanFire(CardTrigger trigger, out ICollection<string> unmetGuards)
    {
        var can = _machine.CanFire(trigger, out var unmet);
        unmetGuards = unmet ?? [];
        return can;
    }

    /// <summary>The moves a person can make from the current status, guards considered.</summary>
    public IReadOnlyList<(CardTrigger Trigger, CardStatus To)> AllowedMoves() =>
        [.. Transitions.Where(t => t.From == Status && !SystemTriggers.Contains(t.Trigger) && _machine.CanFire(t.Trigger)).Select(t => (t.Trigger, t.To))];

    public async Task FireAsync(CardTrigger trigger)
    {
        if (!CanFire(trigger, out var unmet))
            throw new InvalidOperationException($"{trigger} is not allowed from {Status}: {string.Join(", ", unmet)}");
        await _machine.FireAsync(trigger);
    }

    public void Update(CardRow changed) => Row = changed with { Status = Row.Status };

    /// <summary>The machine as a Mermaid state diagram (kept in docs/state-machines/card.mmd).</summary>
    public static string StateDiagram() => MermaidGraph.Format(new Card(CardRow.Blank, [])._machine.GetInfo());

    private void ConfigureStateMachine()
    {
        foreach (var (from, trigger, to) in Transitions)
        {
            var state = _machine.Configure(from);
            switch (trigger)
            {
                case CardTrigger.Start:
                    state.PermitIf(trigger, to, () => OpenBlockers.Count == 0, BlockersDoneGuard);
                    break;
                case CardTrigger.Approve:
                    state.PermitIf(trigger, to, () => !string.IsNullOrEmpty(Row.BranchName), HasBranchGuard);
                    break;
                case CardTrigger.FollowUp:
                    state.PermitIf(trigger, to, () => Row.StepType == "agent", AgentStepGuard);
                    break;
                default:
                    state.Permit(trigger, to);
                    break;
            }
        }
    }
}
