namespace LazyAf.Host.Tests.OpenApi;

/// <summary>The client generator and compiler the OpenAPI tests run, installed by <c>scripts/test</c> into <c>tools/openapi-check</c>.</summary>
public static class OpenApiCheck
{
    public static string Tool(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tools", "openapi-check", "node_modules", ".bin", name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException($"{name} is not installed: run scripts/test (or npm ci in tools/openapi-check) first.");
    }
}
