using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Hosting;

public static class InfrastructureRegistration
{
    public static IHostApplicationBuilder AddGatewayInfrastructure(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
        services.AddValidatedOptions<DataProtectionStorageOptions>(DataProtectionStorageOptions.Section);
        services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        services.AddValidatedOptions<Platforms.PlatformOptions>(Platforms.PlatformOptions.Section);
        services.AddValidatedOptions<BootstrapAdminOptions>(BootstrapAdminOptions.Section);

        var contentRoot = builder.Environment.ContentRootPath;
        services.AddDbContextFactory<GatewayDbContext>((sp, options) =>
            options.UseGatewayDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, contentRoot));

        var dataProtection = services.AddDataProtection().SetApplicationName("ConversionsGateway");
        if (DatabaseConfiguration.ProviderIn(builder.Configuration) == DatabaseProvider.PostgreSql)
        {
            // One key ring for every node: a token encrypted on one decrypts on all, an OAuth state or a sign-in
            // cookie issued by one is accepted by another (docs/operations.md#several-nodes).
            dataProtection.PersistKeysToDbContext<GatewayDbContext>();
        }
        else
        {
            var keysPath = ResolvePath(contentRoot, builder.Configuration[$"{DataProtectionStorageOptions.Section}:KeysPath"] ?? new DataProtectionStorageOptions().KeysPath);
            Directory.CreateDirectory(keysPath);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        }

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                PasswordRules.Apply(options.Password);
                options.User.RequireUniqueEmail = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(10);
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<GatewayDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddSingleton<Platforms.Meta.MetaApiVersionCheck>();
        services.AddHostedService<Platforms.Meta.MetaApiVersionStartupLog>();
        services.AddSingleton<Connections.ConnectionTokenProtector>();
        services.AddSingleton<Management.PersonalAccessTokens>();
        services.AddScoped<DatabaseInitializer>();
        services.AddSingleton<FirstRunSetup>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        // The one composition root of this project: each feature registers itself, the host calls only this.
        Ingestion.IngestionRegistration.AddIngestion(builder);
        Dispatch.DispatchRegistration.AddDispatch(builder);
        Connections.ConnectionsRegistration.AddConnections(builder);
        Jobs.JobsRegistration.AddGatewayJobs(builder);
        return builder;
    }

    internal static string ResolvePath(string contentRoot, string path) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(contentRoot, path));
}
