# Multi-stage build: the SDK image builds and publishes, the ASP.NET runtime image runs as non-root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Gateway.Web/Gateway.Web.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data/keys && chown -R $APP_UID /data
WORKDIR /app
COPY --from=build /app .
# DOTNET_GCgen0size: a 64 MB young-generation budget (docs/operations.md#memory-and-gc).
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_GCgen0size=0x4000000 \
    Database__Path=/data/gateway.db \
    DataProtection__KeysPath=/data/keys
# The SQLite database and the Data Protection key ring (which decrypts stored tokens) live here.
VOLUME ["/data"]
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "Gateway.Web.dll"]
