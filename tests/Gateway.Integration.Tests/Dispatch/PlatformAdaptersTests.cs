using Gateway.Core.Platforms;
using Gateway.Infrastructure.Platforms;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Dispatch;

public sealed class PlatformAdaptersTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private PlatformAdapters Adapters => _app.Services.GetRequiredService<PlatformAdapters>();

    [Fact]
    public void Every_platform_has_exactly_one_adapter_with_its_own_slug_and_label()
    {
        Assert.Equal(Enum.GetValues<Platform>().Order(), Adapters.All.Select(a => a.Platform).Order());
        Assert.Equal(Adapters.All.Count, Adapters.All.Select(a => a.Slug).Distinct().Count());
        Assert.Equal(Platform.TikTok, Adapters.ForSlug("tiktok")!.Platform);
        Assert.Equal("Meta", Adapters.For(Platform.Meta).Label);
    }

    [Fact]
    public void An_unknown_platform_is_an_error_not_silently_meta()
    {
        Assert.Throws<NotSupportedException>(() => Adapters.For((Platform)42));
        Assert.Null(Adapters.ForSlug("google"));
    }
}
