namespace LazyAf.Mcp.Tests;

/// <summary>The real <c>lazyaf</c> binary (its apphost), built with the tests, and what it needs to start outside the test process.</summary>
internal static class LazyafBinary
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "lazyaf");

    /// <summary>The .NET install running the tests (…/shared/Microsoft.NETCore.App/10.x is three levels below it), for the apphost's DOTNET_ROOT.</summary>
    public static string DotnetRoot =>
        Directory.GetParent(System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!)!.Parent!.Parent!.FullName;
}
