using System.Text.Json;
using Grpc.Core;
using LazyAf.Kernel;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>A runner's hello, accepted: its row as the hello updates it, and the credential issued to a new runner.</summary>
internal sealed record Admitted(RemoteRunnerRow Runner, string? IssuedCredential);

/// <summary>
/// Checks a hello: a new runner brings a registration token (single or multi use, until it expires) and gets its own
/// credential; a known one brings that credential. Anything else — a wrong, expired, used-up or revoked credential,
/// or a malformed hello — ends the call, is logged, and the runner never gets a job.
/// </summary>
internal sealed class RunnerAdmission(RunnerStore runners, TimeProvider clock, ILogger<RunnerAdmission> logger)
{
    public const int MaxLabels = 100;
    public const int MaxLabelLength = 100;
    public const int MaxCapacity = 256;

    public async Task<Admitted> AdmitAsync(Hello hello, string peer, CancellationToken ct)
    {
        if (Malformed(hello) is { } malformed)
            throw Refuse(StatusCode.InvalidArgument, malformed, hello, peer);
        if (hello.RunnerId.Length == 0)
            return await RegisterAsync(hello, peer, ct);
        if (!Ids.IsValid(hello.RunnerId) || await runners.FindAsync(hello.RunnerId, ct) is not { } known
            || !RunnerCredentials.Matches(hello.Credential, known.CredentialHash))
            throw Refuse(StatusCode.Unauthenticated, "unknown runner or wrong credential (a revoked runner must register again)", hello, peer);
        return new Admitted(Describe(known, hello), null);
    }

    private async Task<Admitted> RegisterAsync(Hello hello, string peer, CancellationToken ct)
    {
        if (!hello.Credential.StartsWith(RunnerCredentials.RegistrationPrefix, StringComparison.Ordinal) || !await runners.UseTokenAsync(hello.Credential, ct))
            throw Refuse(StatusCode.Unauthenticated, "the registration token is unknown, expired or used up", hello, peer);
        var credential = RunnerCredentials.NewRunnerCredential();
        var row = Describe(new RemoteRunnerRow
        {
            Id = Ids.New(),
            Name = "",
            Labels = "[]",
            StepKinds = "[]",
            Version = "",
            State = EnumText.Of(RunnerState.Disconnected),
            CredentialHash = RunnerCredentials.Hash(credential),
            CreatedAt = clock.GetUtcNow(),
        }, hello);
        await runners.CreateAsync(row, ct);
        logger.LogInformation("Runner {RunnerId} ({RunnerName}) registered from {Peer}", row.Id, row.Name, peer);
        return new Admitted(row, credential);
    }

    private static RemoteRunnerRow Describe(RemoteRunnerRow row, Hello hello) => row with
    {
        Name = hello.Name.Length > 0 ? hello.Name : $"runner-{Ids.ShortForm(row.Id)}",
        Labels = JsonSerializer.Serialize(hello.Labels.Distinct(StringComparer.Ordinal).ToArray()),
        StepKinds = JsonSerializer.Serialize(hello.StepKinds.Distinct(StringComparer.Ordinal).ToArray()),
        Capacity = hello.Capacity,
        Version = hello.Version,
    };

    private static string? Malformed(Hello hello)
    {
        if (hello.Credential.Length == 0)
            return "the hello carries no credential";
        if (hello.Labels.Count > MaxLabels)
            return $"a runner has at most {MaxLabels} labels, not {hello.Labels.Count}";
        if (hello.Labels.FirstOrDefault(l => l.Length is 0 or > MaxLabelLength) is { } bad)
            return $"label '{bad[..Math.Min(bad.Length, 20)]}' is empty or longer than {MaxLabelLength} characters";
        if (hello.Capacity is < 1 or > MaxCapacity)
            return $"capacity must be 1 to {MaxCapacity}, not {hello.Capacity}";
        if (hello.Name.Length > 200 || hello.Version.Length > 200 || hello.StepKinds.Count > 10)
            return "the name, version or step kinds are too long";
        return null;
    }

    private RpcException Refuse(StatusCode code, string reason, Hello hello, string peer)
    {
        logger.LogWarning("Refused a runner's hello from {Peer} (runner {RunnerId}): {Reason}", peer, hello.RunnerId.Length > 0 ? hello.RunnerId : "new", reason);
        return new RpcException(new Status(code, reason));
    }
}
