using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LazyAf.Kernel.Settings;

/// <summary>
/// A module's settings: a configuration section bound to an options type and checked when the host starts. A value
/// that does not parse (<c>Workspaces:CleanupInterval=abc</c>) or breaks a rule of the type (a
/// <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/>, <c>[Required]</c>) stops the host with one
/// line naming the setting, instead of failing whatever reads it later.
/// </summary>
public static class SettingsServices
{
    /// <summary>Binds <paramref name="section"/> to <typeparamref name="TOptions"/>, checked at start-up; read it as <c>IOptions&lt;TOptions&gt;</c>.</summary>
    public static OptionsBuilder<TOptions> AddSettings<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new SettingsRules<TOptions>(sp.GetRequiredService<IConfiguration>().GetSection(section)));
        return services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) => SettingsText.Bind(configuration.GetSection(section), options))
            .ValidateOnStart();
    }

    /// <summary>The lines to print for a start-up failure of settings (one per bad setting), or none when it is another failure.</summary>
    public static IReadOnlyList<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException invalid => invalid.Failures.ToList(),
        AggregateException several => [.. several.InnerExceptions.SelectMany(Failures)],
        _ => [],
    };
}
