
namespace LazyAf.Modules.Repos.Features.GitSmartHttp;

/// <summary>The two git services the smart-HTTP protocol exposes.</summary>
internal sealed record GitService(string Name, string Command, bool IsPush)
{
    public static readonly GitService UploadPack = new("git-upload-pack", "upload-pack", IsPush: false);
    public static readonly GitService ReceivePack = new("git-receive-pack", "receive-pack", IsPush: true);

    public static GitService? FromName(string? name) => name switch
    {
        "git-upload-pack" => UploadPack,
        "git-receive-pack" => ReceivePack,
        _ => null,
    };

    public string AdvertisementContentType => $"application/x-{Name}-advertisement";
    public string RequestContentType => $"application/x-{Name}-request";
    public string ResultContentType => $"application/x-{Name}-result";
}
