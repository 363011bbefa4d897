using LazyAf.Kernel.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Kernel.Storage;

/// <summary>
/// While the data directory's disk is full, API and git writes answer 507 problem details naming the directory,
/// instead of failing halfway with a bare 500; reads (and git fetches, which POST) go on. A write that fails for lack
/// of space while the disk still looked healthy gets the same answer and marks it full.
/// </summary>
public static class DiskFullGuard
{
    /// <summary>The problem type of a refused write.</summary>
    public const string Kind = "disk-full";

    /// <summary>Refuses writes while the disk is full; put it after the exception handler.</summary>
    public static IApplicationBuilder UseDiskFullGuard(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var space = http.RequestServices.GetRequiredService<DataDirectorySpace>();
            if (space.IsFull && IsWrite(http.Request))
            {
                await WriteAsync(http, space);
                return;
            }
            await next(http);
        });

    /// <summary>The 507 for a write that failed for lack of space.</summary>
    internal sealed class ExceptionHandler(DataDirectorySpace space) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
        {
            if (!DataDirectorySpace.IsDiskFull(exception))
                return false;
            space.ReportFull(exception);
            await WriteAsync(http, space);
            return true;
        }
    }

    private static bool IsWrite(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return false;
        var path = request.Path.Value ?? "";
        if (path.StartsWith("/git/", StringComparison.Ordinal))
            return !path.EndsWith("/git-upload-pack", StringComparison.Ordinal);
        return path.StartsWith("/api/", StringComparison.Ordinal);
    }

    private static Task WriteAsync(HttpContext http, DataDirectorySpace space)
    {
        var problem = TypedResults.Problem(
            statusCode: StatusCodes.Status507InsufficientStorage,
            title: "The data directory is full",
            detail: space.Explanation + "; reads keep working.",
            type: Problems.TypeUri(Kind),
            extensions: new Dictionary<string, object?> { ["data_dir"] = space.DataDir });
        return problem.ExecuteAsync(http);
    }
}
