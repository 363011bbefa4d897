using LazyAf.Kernel;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Data;
using LazyAf.Modules.Access.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Access.Handlers;

/// <summary>
/// Before the host takes requests: the data directory is the owner's alone (0700), the owner user exists, and
/// <c>owner.token</c> (0600) holds a live owner token — made at the first start, and made again (the old one
/// revoked) when the file is missing or no longer matches. The CLI of the same OS user reads it from there.
/// </summary>
internal sealed class OwnerSetup(
    LazyAfOptions lazyaf,
    UserStore users,
    TokenStore tokens,
    OwnerAccount owner,
    TimeProvider clock,
    ILogger<OwnerSetup> logger) : IHostedService
{
    public const string TokenFileName = "owner.token";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(lazyaf.DataDir);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(lazyaf.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var user = await users.FindOwnerAsync(cancellationToken) ?? await CreateOwnerAsync(cancellationToken);
        owner.UserId = user.Id;

        var path = Path.Combine(lazyaf.DataDir, TokenFileName);
        if (await IsLiveOwnerTokenAsync(path, cancellationToken))
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return;
        }
        var token = TokenSecret.New();
        await WriteTokenFileAsync(path, token, cancellationToken);
        await tokens.ReplaceOwnerTokenAsync(Ids.New(), user.Id, TokenSecret.Hash(token), Scopes.All, clock.GetUtcNow(), cancellationToken);
        logger.LogInformation("Made a new owner token in {TokenFile}", path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<UserStore.User> CreateOwnerAsync(CancellationToken ct)
    {
        var user = new UserStore.User { Id = Ids.New(), Name = UserNames.Owner, IsOwner = true, CreatedAt = clock.GetUtcNow() };
        if (!await users.TryInsertAsync(user, ct))
            throw new InvalidOperationException($"A user named '{UserNames.Owner}' exists but is not the owner.");
        return user;
    }

    private async Task<bool> IsLiveOwnerTokenAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
            return false;
        var token = (await File.ReadAllTextAsync(path, ct)).Trim();
        return await tokens.FindByHashAsync(TokenSecret.Hash(token), ct) is { Kind: TokenKinds.Owner, RevokedAt: null };
    }

    // Written beside the target with its final mode from the start, then renamed over it: never readable by others, never half-written.
    private static async Task WriteTokenFileAsync(string path, string token, CancellationToken ct)
    {
        var temporary = path + ".new";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var file = new FileStream(temporary, options))
        await using (var writer = new StreamWriter(file))
            await writer.WriteLineAsync(token.AsMemory(), ct);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The owner user's id, known once <see cref="OwnerSetup"/> has run.</summary>
internal sealed class OwnerAccount
{
    public string UserId { get; set; } = "";
}
