using Microsoft.Extensions.FileProviders;

namespace LazyAf.Host;

/// <summary>
/// Serves the board, the Svelte app built from <c>web/</c>, at <c>/</c>. Its files come from
/// <c>Board:Path</c>, by default the <c>board/</c> folder the build copies next to the host. Any
/// other page a browser asks for (a GET accepting <c>text/html</c>, of a path without a file extension) answers
/// <c>index.html</c>, so a link such as <c>/cards/ID</c> opens in the app; the host's own paths never do, nor do
/// programs such as git that ask for something else.
/// </summary>
internal static class Board
{
    public const string PathKey = "Board:Path";

    private static readonly string[] HostPaths = ["/api", "/git", "/ws", "/openapi", "/health", "/alive"];

    /// <summary>
    /// Serves the board's files. Called before Access: they are the same for everyone and hold no data (everything the
    /// board shows comes from <c>/api</c>, which needs a credential), and a browser must load them to sign in at all.
    /// </summary>
    public static void UseBoardFiles(this WebApplication app)
    {
        if (Root(app) is not { } root)
        {
            app.Logger.LogWarning("No board at {BoardPath} (no index.html): / answers 404; build it with npm run build in web/ (scripts/up does)", Folder(app));
            return;
        }
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            // Vite names assets by their content, so they never change; index.html must be fetched fresh to find new ones.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = file.Context.Request.Path.StartsWithSegments("/assets")
                ? "public, max-age=31536000, immutable"
                : "no-cache",
        });
    }

    /// <summary>Answers the board's pages with its <c>index.html</c>, open to anyone for the same reason as its files.</summary>
    public static void MapBoard(this WebApplication app)
    {
        if (Root(app) is not { } root)
            return;
        var index = Path.Combine(root, "index.html");
        app.MapFallback(async context =>
            {
                if (!AcceptsHtml(context.Request) || HostPaths.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.SendFileAsync(index, context.RequestAborted);
            })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .AllowAnonymous()
            .WithName(PageEndpoint)
            .ExcludeFromDescription();
    }

    private static string Folder(WebApplication app) =>
        Path.GetFullPath(app.Configuration[PathKey] ?? Path.Combine(AppContext.BaseDirectory, "board"));

    private static string? Root(WebApplication app) =>
        File.Exists(Path.Combine(Folder(app), "index.html")) ? Folder(app) : null;

    /// <summary>The name of the endpoint that answers the board's pages; it is no API, so it stays out of the OpenAPI document.</summary>
    public const string PageEndpoint = "BoardPage";

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
