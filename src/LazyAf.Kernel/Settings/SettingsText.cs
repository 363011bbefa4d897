using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LazyAf.Kernel.Settings;

/// <summary>
/// Binds a section after checking that every value parses as its property's type, so a bad one is reported as
/// <c>setting Workspaces:CleanupInterval: 'abc' is not a time span (such as 00:05:00)</c> rather than as the
/// binder's exception.
/// </summary>
internal static class SettingsText
{
    public static void Bind<TOptions>(IConfigurationSection section, TOptions options)
        where TOptions : class
    {
        if (Unparsable(section, typeof(TOptions)).ToList() is { Count: > 0 } failures)
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), failures);
        section.Bind(options);
    }

    /// <summary>The value a setting was given, as written.</summary>
    public static string Quote(IConfigurationSection section) => $"'{section.Value}'";

    private static IEnumerable<string> Unparsable(IConfigurationSection section, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(target))
            return section.Value is { } text && !Parses(text, target) ? [$"setting {section.Path}: {Quote(section)} is not {Describe(target)}"] : [];
        if (ItemType(target) is { } item)
            return section.GetChildren().SelectMany(child => Unparsable(child, item));
        return target.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(property => Unparsable(section.GetSection(property.Name), property.PropertyType));
    }

    /// <summary>The values' type of a dictionary (keyed by string) or a list, else null.</summary>
    public static Type? ItemType(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        var generic = type.GetInterfaces().Append(type).Where(i => i.IsGenericType).Select(i => (Definition: i.GetGenericTypeDefinition(), Arguments: i.GetGenericArguments())).ToList();
        return generic.FirstOrDefault(i => i.Definition == typeof(IDictionary<,>) || i.Definition == typeof(IReadOnlyDictionary<,>)).Arguments?[1]
            ?? generic.FirstOrDefault(i => i.Definition == typeof(IEnumerable<>)).Arguments?[0];
    }

    public static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    private static bool Parses(string text, Type type)
    {
        // With its scheme written out: on Linux "/v1" would pass as an absolute file URI.
        if (type == typeof(Uri))
            return text.Contains(':', StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out _);
        try
        {
            // What the configuration binder itself converts with.
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => "a time span (such as 00:05:00)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(Uri) => "an absolute URI",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ => "a whole number",
    };
}
