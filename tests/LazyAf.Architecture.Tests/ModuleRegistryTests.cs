using Mono.Cecil;
using Mono.Cecil.Cil;

namespace LazyAf.Architecture.Tests;

/// <summary>The host's module registry adds and maps every module under <c>src/</c>: none is built and left out.</summary>
public sealed class ModuleRegistryTests
{
    private const string Registry = "LazyAf.Host.ModuleRegistry";

    public static TheoryData<string> Modules => [.. SourceTree.Modules().Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Modules))]
    public void The_registry_adds_the_module(string module)
    {
        Assert.Contains($"{SourceTree.ModulePrefix}{module}.{module}Module::Add{module}", CallsOf("AddModules"));
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void The_registry_maps_the_module(string module)
    {
        Assert.Contains($"{SourceTree.ModulePrefix}{module}.{module}Module::Map{module}", CallsOf("MapModules"));
    }

    /// <summary>The static methods <paramref name="method"/> calls, as <c>Type::Method</c>.</summary>
    private static List<string> CallsOf(string method)
    {
        using var host = AssemblyDefinition.ReadAssembly(Path.Combine(AppContext.BaseDirectory, "LazyAf.Host.dll"));
        var registry = host.MainModule.GetType(Registry) ?? throw new InvalidOperationException($"{Registry} not found in the host.");
        var body = registry.Methods.Single(m => m.Name == method).Body;
        return body.Instructions
            .Where(i => i.OpCode == OpCodes.Call && i.Operand is MethodReference)
            .Select(i => (MethodReference)i.Operand)
            .Select(m => $"{m.DeclaringType.FullName}::{m.Name}")
            .ToList();
    }
}
