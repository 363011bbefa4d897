using System.Reflection;
using NetArchTest.Rules;

namespace LazyAf.Architecture.Tests;

/// <summary>Modules meet only through their Contracts; everything else stays inside the module.</summary>
public sealed class ModuleBoundaryTests
{
    private const string ModulePrefix = "LazyAf.Modules.";

    public static TheoryData<string> Modules => [.. ModuleAssemblies().Select(a => a.GetName().Name!)];

    [Fact]
    public void The_host_composes_every_module_it_ships()
    {
        Assert.NotEmpty(ModuleAssemblies());
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_exposes_only_its_entry_point_and_its_contracts(string module)
    {
        var assembly = Load(module);
        var entryPoint = $"{module}.{module[ModulePrefix.Length..]}Module";
        var exposed = assembly.GetExportedTypes()
            .Where(t => t.FullName != entryPoint && t.Namespace != $"{module}.Contracts")
            .Select(t => t.FullName)
            .ToList();
        Assert.True(exposed.Count == 0, $"{module} exposes non-contract types: {string.Join(", ", exposed)}");
        Assert.NotNull(assembly.GetType(entryPoint));
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_uses_other_modules_only_through_their_contracts(string module)
    {
        // Whole type names: a namespace prefix such as LazyAf.Modules.Repos would also match its Contracts.
        var forbidden = ModuleAssemblies()
            .Where(a => a.GetName().Name != module)
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Namespace?.EndsWith(".Contracts", StringComparison.Ordinal) == false && !t.Name.StartsWith('<'))
            .Select(t => t.FullName!)
            .ToArray();
        if (forbidden.Length == 0)
            return;

        var result = Types.InAssembly(Load(module)).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"{module} reaches into: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_kernel_and_the_modules_never_depend_on_the_host()
    {
        var assemblies = ModuleAssemblies().Append(typeof(Kernel.Ids).Assembly);
        foreach (var assembly in assemblies)
        {
            var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOn("LazyAf.Host").GetResult();
            Assert.True(result.IsSuccessful, $"{assembly.GetName().Name} depends on the host: {string.Join(", ", result.FailingTypeNames ?? [])}");
        }
        var kernel = Types.InAssembly(typeof(Kernel.Ids).Assembly).ShouldNot().HaveDependencyOn("LazyAf.Modules").GetResult();
        Assert.True(kernel.IsSuccessful, "The kernel must not know any module.");
    }

    private static List<Assembly> ModuleAssemblies() =>
        Directory.GetFiles(AppContext.BaseDirectory, ModulePrefix + "*.dll")
            .Select(path => Load(Path.GetFileNameWithoutExtension(path)))
            .ToList();

    private static Assembly Load(string name) => Assembly.Load(name);
}
