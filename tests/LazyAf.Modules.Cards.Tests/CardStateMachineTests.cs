using LazyAf.Kernel;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Domain;

namespace LazyAf.Modules.Cards.Tests;

public sealed class CardStateMachineTests
{
    // The rules as the issue states them, written out independently of the code's own table.
    private static readonly HashSet<(CardStatus, CardTrigger, CardStatus)> Allowed =
    [
        (CardStatus.Todo, CardTrigger.Start, CardStatus.InProgress),
        (CardStatus.InProgress, CardTrigger.SubmitForReview, CardStatus.InReview),
        (CardStatus.InProgress, CardTrigger.Fail, CardStatus.Failed),
        (CardStatus.InReview, CardTrigger.Approve, CardStatus.Done),
        // A pipeline that tests the branch under review fails it (a trigger's on_fail: fail).
        (CardStatus.InReview, CardTrigger.Fail, CardStatus.Failed),
        (CardStatus.InReview, CardTrigger.Reject, CardStatus.Todo),
        (CardStatus.InReview, CardTrigger.Retry, CardStatus.InProgress),
        (CardStatus.Failed, CardTrigger.Retry, CardStatus.InProgress),
        // A follow-up continues an agent's session: a move of its own, so the history says it was one.
        (CardStatus.InReview, CardTrigger.FollowUp, CardStatus.InProgress),
        (CardStatus.Failed, CardTrigger.FollowUp, CardStatus.InProgress),
    ];

    // Triggers travel as names: the enum is internal to the module.
    public static TheoryData<CardStatus, string, CardStatus> AllowedMoves()
    {
        var data = new TheoryData<CardStatus, string, CardStatus>();
        foreach (var (from, trigger, to) in Allowed)
            data.Add(from, trigger.ToString(), to);
        return data;
    }

    public static TheoryData<CardStatus, string> ForbiddenMoves()
    {
        var data = new TheoryData<CardStatus, string>();
        foreach (var status in Enum.GetValues<CardStatus>())
        {
            foreach (var trigger in Enum.GetValues<CardTrigger>().Where(t => !Allowed.Any(a => a.Item1 == status && a.Item2 == t)))
                data.Add(status, trigger.ToString());
        }
        return data;
    }

    [Fact]
    public void The_code_allows_exactly_the_documented_moves()
    {
        Assert.Equal(Allowed.Order(), Card.Transitions.Select(t => (t.From, t.Trigger, t.To)).Order());
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public async Task Every_allowed_move_reaches_its_status(CardStatus from, string trigger, CardStatus to)
    {
        var card = CardIn(from, branch: "lazyaf/card-1");

        await card.FireAsync(Enum.Parse<CardTrigger>(trigger));

        Assert.Equal(to, card.Status);
        Assert.Equal(EnumText.Of(to), card.Row.Status);
    }

    [Theory]
    [MemberData(nameof(ForbiddenMoves))]
    public async Task Every_other_move_is_refused_and_changes_nothing(CardStatus from, string trigger)
    {
        var card = CardIn(from, branch: "lazyaf/card-1");
        var move = Enum.Parse<CardTrigger>(trigger);

        Assert.False(card.CanFire(move, out _));
        await Assert.ThrowsAsync<InvalidOperationException>(() => card.FireAsync(move));
        Assert.Equal(from, card.Status);
    }

    [Fact]
    public void Done_is_final()
    {
        Assert.Empty(CardIn(CardStatus.Done, branch: "b").AllowedMoves());
    }

    [Fact]
    public void A_card_with_an_open_blocker_cannot_start_and_says_why()
    {
        var card = new Card(CardRow.Blank with { Status = "todo" }, ["blocker-id"]);

        Assert.False(card.CanFire(CardTrigger.Start, out var unmet));
        Assert.Equal([Card.BlockersDoneGuard], unmet);
    }

    [Fact]
    public void A_card_without_a_branch_cannot_be_approved_and_says_why()
    {
        var card = CardIn(CardStatus.InReview, branch: null);

        Assert.False(card.CanFire(CardTrigger.Approve, out var unmet));
        Assert.Equal([Card.HasBranchGuard], unmet);
        Assert.DoesNotContain(card.AllowedMoves(), m => m.Trigger == CardTrigger.Approve);
    }

    [Fact]
    public void A_script_card_cannot_be_followed_up_and_says_why()
    {
        var card = CardIn(CardStatus.Failed, branch: "lazyaf/card-1", stepType: "script");

        Assert.False(card.CanFire(CardTrigger.FollowUp, out var unmet));
        Assert.Equal([Card.AgentStepGuard], unmet);
    }

    [Theory]
    [InlineData(CardStatus.InProgress, "")]
    [InlineData(CardStatus.InReview, "Approve Reject Retry FollowUp")]
    [InlineData(CardStatus.Failed, "Retry FollowUp")]
    public void The_moves_offered_are_the_ones_a_person_makes_never_the_executors(CardStatus status, string offered)
    {
        var moves = CardIn(status, branch: "lazyaf/card-1").AllowedMoves();

        Assert.Equal(offered, string.Join(' ', moves.Select(m => m.Trigger)));
    }

    [Fact]
    public async Task The_documented_state_diagram_matches_the_code()
    {
        var documented = await LazyAf.Testing.RepoFiles.ReadAsync("docs/state-machines/card.mmd");
        Assert.True(documented.Trim() == Card.StateDiagram().Trim(),
            $"docs/state-machines/card.mmd is out of date; it should be:\n{Card.StateDiagram()}");
    }

    private static Card CardIn(CardStatus status, string? branch, string stepType = "agent") =>
        new(CardRow.Blank with { Status = EnumText.Of(status), BranchName = branch, StepType = stepType }, []);
}
