using Gateway.Infrastructure.Hosting;
using Gateway.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayInfrastructure();
builder.AddGatewayWeb();

var app = builder.Build();
await app.InitializeGatewayAsync();
app.UseGatewayWeb();
app.Run();

/// <summary>Entry point marker for WebApplicationFactory in the test projects.</summary>
public partial class Program;
