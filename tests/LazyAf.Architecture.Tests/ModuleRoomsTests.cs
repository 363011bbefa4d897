using System.Reflection;
using LazyAf.Kernel.Events;
using Microsoft.Extensions.Hosting;

namespace LazyAf.Architecture.Tests;

/// <summary>
/// Every module has the same rooms, so a newcomer knows where anything is before opening the folder:
/// <c>{X}Module.cs</c> (and <c>{X}Options.cs</c>), <c>Contracts/</c>, <c>Features/{Feature}/</c>, <c>Handlers/</c> (integration-event
/// handlers and background work), <c>Domain/</c> and <c>Data/</c>. Nothing else sits at a module's top, and every
/// event handler and hosted service is in its module's <c>Handlers</c> namespace.
/// </summary>
public sealed class ModuleRoomsTests
{
    private static readonly string[] Rooms = ["Contracts", "Features", "Handlers", "Domain", "Data"];

    public static TheoryData<string> Modules => [.. SourceTree.Modules().Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_folder_holds_only_the_rooms(string module)
    {
        var folder = SourceTree.Modules().Single(m => m.Name == module).Folder;
        string[] files = [$"{module}Module.cs", $"{module}Options.cs", $"{SourceTree.ModulePrefix}{module}.csproj"];
        var strays = folder.EnumerateFileSystemInfos()
            .Where(entry => entry is DirectoryInfo
                ? !Rooms.Contains(entry.Name) && entry.Name is not ("bin" or "obj")
                : !files.Contains(entry.Name))
            .Select(entry => entry.Name)
            .ToList();
        Assert.True(strays.Count == 0, $"{module} has {string.Join(", ", strays)} beside its rooms ({string.Join(", ", Rooms)})");
        Assert.True(File.Exists(Path.Combine(folder.FullName, $"{module}Module.cs")), $"{module} has no {module}Module.cs");
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void Event_handlers_and_hosted_services_live_in_handlers(string module)
    {
        var misplaced = Assembly.Load(SourceTree.ModulePrefix + module).GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && !t.Name.StartsWith('<'))
            .Where(t => HandlesEvents(t) || IsHostedOutsideAnExecutor(t))
            .Where(t => t.Namespace != $"{SourceTree.ModulePrefix}{module}.Handlers")
            .Select(t => t.FullName)
            .ToList();
        Assert.True(misplaced.Count == 0, $"event handlers or hosted services outside {module}'s Handlers: {string.Join(", ", misplaced)}");
    }

    private static bool HandlesEvents(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IIntegrationEventHandler<>));

    // An executor is hosted to see its own runs to an end at shutdown; that is part of running steps, not background work.
    private static bool IsHostedOutsideAnExecutor(Type type) =>
        typeof(IHostedService).IsAssignableFrom(type) && type.GetInterfaces().All(i => i.Name != "IExecutor");
}
