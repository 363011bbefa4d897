using System.Text.Json.Serialization;

namespace LazyAf.Cli.Api;

/// <summary>
/// Source-generated JSON for everything the CLI sends and reads, in the API's snake_case,
/// so the CLI needs no reflection (it stays trimmable and AOT-friendly).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Repo))]
[JsonSerializable(typeof(List<Repo>))]
[JsonSerializable(typeof(List<Branch>))]
[JsonSerializable(typeof(IngestRequest))]
[JsonSerializable(typeof(List<CardSummary>))]
[JsonSerializable(typeof(Card))]
[JsonSerializable(typeof(List<CardTransition>))]
[JsonSerializable(typeof(CreateCardRequest))]
[JsonSerializable(typeof(ApproveRequest))]
[JsonSerializable(typeof(RejectRequest))]
[JsonSerializable(typeof(FollowUpRequest))]
[JsonSerializable(typeof(Execution))]
[JsonSerializable(typeof(LogLine))]
[JsonSerializable(typeof(Webhook))]
[JsonSerializable(typeof(List<Webhook>))]
[JsonSerializable(typeof(AddWebhookRequest))]
[JsonSerializable(typeof(PipelineRun))]
[JsonSerializable(typeof(List<PipelineRun>))]
[JsonSerializable(typeof(RunPipelineRequest))]
[JsonSerializable(typeof(ValidatePipelineRequest))]
[JsonSerializable(typeof(PipelineValidation))]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(List<User>))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(List<Token>))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(CreatedToken))]
[JsonSerializable(typeof(LoginLink))]
[JsonSerializable(typeof(Runner))]
[JsonSerializable(typeof(List<Runner>))]
[JsonSerializable(typeof(CreateRunnerTokenRequest))]
[JsonSerializable(typeof(RunnerToken))]
internal sealed partial class ApiJson : JsonSerializerContext;
