using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using LazyAf.Modules.Repos.Features.CreateRepo;
using LazyAf.Modules.Repos.Features.DeleteBranch;
using LazyAf.Modules.Repos.Features.DeleteRepo;
using LazyAf.Modules.Repos.Features.GetDiff;
using LazyAf.Modules.Repos.Features.GetRepo;
using LazyAf.Modules.Repos.Features.GitSmartHttp;
using LazyAf.Modules.Repos.Features.IngestRepo;
using LazyAf.Modules.Repos.Features.ListBranches;
using LazyAf.Modules.Repos.Features.ListCommits;
using LazyAf.Modules.Repos.Features.ListPushes;
using LazyAf.Modules.Repos.Features.ListRepos;
using LazyAf.Modules.Repos.Features.Secrets;
using LazyAf.Modules.Repos.Features.UpdateRepo;
using LazyAf.Modules.Repos.Handlers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Repos;

/// <summary>Repos: repository records, the git smart-HTTP server at <c>/git</c>, branches, diffs and merges.</summary>
public static class ReposModule
{
    /// <summary>Registers the module's services, schema and contracts.</summary>
    public static IServiceCollection AddRepos(this IServiceCollection services)
    {
        services.AddModuleMigrations("repos", typeof(ReposModule).Assembly);
        services.AddSettings<ReposOptions>(ReposOptions.Section);
        services.AddSingleton<RepoStore>();
        services.AddSingleton<RefUpdateLog>();
        services.AddSingleton<BareRepositories>();
        services.AddSingleton<RefChangeRecorder>();
        services.AddSingleton<GitServiceRun>();
        services.AddSingleton<RepoHistory>();
        services.AddSingleton<RepoCreation>();
        services.AddSingleton<IRepoCatalog, RepoCatalog>();
        services.AddSingleton<IBranchMerger, BranchMerger>();
        services.AddSingleton<BranchRefs>();
        services.AddSingleton<IBranchRefs>(sp => sp.GetRequiredService<BranchRefs>());
        services.AddSingleton<SecretStore>();
        services.AddSingleton<IRepoSecrets>(sp => sp.GetRequiredService<SecretStore>());
        // Secrets are encrypted with keys kept under the data directory, so they survive restarts of this host; the
        // keys are readable by the host's user only, and encrypted themselves when a key-encryption key is set.
        services.AddDataProtection().SetApplicationName("LazyAF");
        services.AddOptions<KeyManagementOptions>().Configure<LazyAfOptions, IOptions<ReposOptions>>((keys, lazyaf, repos) =>
        {
            keys.XmlRepository = new KeyRingDirectory(Path.Combine(lazyaf.DataDir, "keys"));
            if (KeyEncryptionKey.Of(repos.Value) is { } key)
                keys.XmlEncryptor = new KeyRingEncryptor(key);
        });
        services.AddHostedService<GitServerStartup>();
        services.AddHostedService<AbandonedPushCleanup>();
        return services;
    }

    /// <summary>
    /// Maps <c>/api/repos</c>, <c>/api/secrets</c> (the global secrets) and the git server; returns the group holding
    /// the API so the host can add auth or tags.
    /// </summary>
    public static RouteGroupBuilder MapRepos(this IEndpointRouteBuilder endpoints)
    {
        // Mapped beside the API group, so its scopes are attached here: fetching is a read, pushing is work on the code.
        endpoints.MapGitSmartHttp().RequireScopes(reads: Scopes.Read, writes: Scopes.Cards,
            writesUnder: new Dictionary<string, string> { ["/git/{repo}.git/git-upload-pack"] = Scopes.Read });

        var root = endpoints.MapGroup("");
        root.MapGroup("/api/secrets").WithTags("Repos").MapGlobalSecrets();
        var api = root.MapGroup("/api/repos").WithTags("Repos");
        api.MapListRepos();
        api.MapCreateRepo();
        api.MapIngestRepo();
        api.MapGetRepo();
        api.MapUpdateRepo();
        api.MapDeleteRepo();
        api.MapListBranches();
        api.MapDeleteBranch();
        api.MapListCommits();
        api.MapGetDiff();
        api.MapListPushes();
        api.MapSecrets();
        return root;
    }
}
