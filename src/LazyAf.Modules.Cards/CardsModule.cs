using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Features;
using LazyAf.Modules.Cards.Features.ApproveCard;
using LazyAf.Modules.Cards.Features.CancelCard;
using LazyAf.Modules.Cards.Features.CardDiff;
using LazyAf.Modules.Cards.Features.CardTransitions;
using LazyAf.Modules.Cards.Features.CreateCard;
using LazyAf.Modules.Cards.Features.DeleteCard;
using LazyAf.Modules.Cards.Features.Dependencies;
using LazyAf.Modules.Cards.Features.FollowUp;
using LazyAf.Modules.Cards.Features.GetCard;
using LazyAf.Modules.Cards.Features.ListCards;
using LazyAf.Modules.Cards.Features.RejectCard;
using LazyAf.Modules.Cards.Features.StartCard;
using LazyAf.Modules.Cards.Features.UpdateCard;
using LazyAf.Modules.Cards.Handlers;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Cards;

/// <summary>Cards: the board's work items, their state machine, review and dependencies.</summary>
public static class CardsModule
{
    /// <summary>Registers the module's services, schema and event handlers.</summary>
    public static IServiceCollection AddCards(this IServiceCollection services)
    {
        services.AddModuleMigrations("cards", typeof(CardsModule).Assembly);
        services.AddSettings<CardsOptions>(CardsOptions.Section);
        services.AddSingleton<CardStore>();
        services.AddSingleton<CardHistoryStore>();
        services.AddSingleton<DependencyStore>();
        services.AddSingleton<CardWorkflow>();
        services.AddSingleton<CardView>();
        services.AddSingleton<CardDecisions>();
        services.AddSingleton<ICardReview, CardReview>();
        services.AddSingleton<StartServices>();
        services.AddSingleton<CardExecutionStep>();
        services.AddEventHandler<CardUpdated, AutoStartOnUnblock>();
        services.AddEventHandler<CardReadyToStart, StartReadyCard>();
        services.AddEventHandler<ExecutionUpdated, CardFollowsExecution>();
        services.AddEventHandler<RepoDeleted, CardsOfDeletedRepo>();
        return services;
    }

    /// <summary>Maps the cards endpoints under <c>/api</c>; returns the group.</summary>
    public static RouteGroupBuilder MapCards(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Cards");
        api.MapCreateCard();
        api.MapListCards();
        api.MapGetCard();
        api.MapUpdateCard();
        api.MapDeleteCard();
        api.MapCardTransitions();
        api.MapCardDiff();
        api.MapApproveCard();
        api.MapRejectCard();
        api.MapStartCard();
        api.MapCancelCard();
        api.MapFollowUp();
        api.MapDependencies();
        return api;
    }
}
