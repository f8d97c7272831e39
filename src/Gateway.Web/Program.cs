using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Hosting;
using Gateway.Infrastructure.Ingestion;
using Gateway.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayInfrastructure();
builder.AddDispatch();
builder.AddIngestion();
builder.AddGatewayWeb();
builder.AddConnections();

var app = builder.Build();
await app.InitializeGatewayAsync();
app.UseGatewayWeb();
app.Run();

/// <summary>Entry point marker for WebApplicationFactory in the test projects.</summary>
public partial class Program;
