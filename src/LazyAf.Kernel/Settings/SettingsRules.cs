using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LazyAf.Kernel.Settings;

/// <summary>
/// The rules of a settings type (its properties' validation attributes, also on nested settings and dictionary
/// values), each broken one reported as <c>setting Execution:LocalConcurrency: '-1' must be at least 1</c>.
/// </summary>
internal sealed class SettingsRules<TOptions>(IConfigurationSection section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        Broken(section, options).ToList() is { Count: > 0 } broken ? ValidateOptionsResult.Fail(broken) : ValidateOptionsResult.Success;

    private static IEnumerable<string> Broken(IConfigurationSection section, object settings)
    {
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(settings);
            var setting = section.GetSection(property.Name);
            var context = new ValidationContext(settings) { MemberName = property.Name, DisplayName = setting.Path };
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (rule.GetValidationResult(value, context) is { } result && result != ValidationResult.Success)
                    yield return $"setting {setting.Path}: {(setting.Value is null ? "(not set)" : SettingsText.Quote(setting))} {result.ErrorMessage}";
            }
            foreach (var broken in Nested(setting, property.PropertyType, value))
                yield return broken;
        }
    }

    private static IEnumerable<string> Nested(IConfigurationSection setting, Type type, object? value)
    {
        if (value is null || SettingsText.IsScalar(Nullable.GetUnderlyingType(type) ?? type))
            return [];
        if (value is IDictionary dictionary)
            return dictionary.Keys.Cast<object>()
                .Where(key => dictionary[key] is { } item && !SettingsText.IsScalar(item.GetType()))
                .SelectMany(key => Broken(setting.GetSection(key.ToString()!), dictionary[key]!));
        return value is IEnumerable ? [] : Broken(setting, value);
    }
}
