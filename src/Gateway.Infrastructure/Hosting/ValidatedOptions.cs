using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Hosting;

/// <summary>
/// The one way the gateway binds a configuration section: data annotations checked at start-up, through
/// members marked <see cref="ValidateObjectMembersAttribute"/> too, with each failure naming the full
/// configuration key (`Platforms:Meta:GraphBaseUrl`), so a bad value stops start-up with a message an
/// operator can act on (docs/configuration.md).
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SectionValidator<T>(string section) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = new List<string>();
            Collect(options, section, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }

    internal static void Collect(object instance, string path, List<string> failures)
    {
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var value = property.GetValue(instance);
            var key = $"{path}:{property.Name}";
            var results = new List<ValidationResult>();
            var context = new ValidationContext(instance) { MemberName = property.Name, DisplayName = property.Name };
            if (!Validator.TryValidateProperty(value, context, results))
                failures.AddRange(results.Select(r => $"{key} (environment: {key.Replace(":", "__", StringComparison.Ordinal)}): {r.ErrorMessage}"));

            if (value is null) continue;
            if (property.IsDefined(typeof(ValidateObjectMembersAttribute)))
                Collect(value, key, failures);
            else if (property.IsDefined(typeof(ValidateEnumeratedItemsAttribute)) && value is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                    if (item is not null) Collect(item, $"{key}:{i++}", failures);
            }
        }
        // Rules across members (e.g. "ClientId is required when Authority is set").
        if (instance is IValidatableObject validatable)
            foreach (var result in validatable.Validate(new ValidationContext(instance)))
            {
                var key = result.MemberNames.FirstOrDefault() is { } member ? $"{path}:{member}" : path;
                failures.Add($"{key} (environment: {key.Replace(":", "__", StringComparison.Ordinal)}): {result.ErrorMessage}");
            }
    }
}
