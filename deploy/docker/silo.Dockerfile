# TiBillet silo (Orleans + GraphQL API). Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile -t tibillet/silo:latest .
# It needs an external PostgreSQL (ConnectionStrings__TiBillet): the private PostgreSQL of `dotnet run` is not in the image.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/TiBillet.Silo.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The API on every interface of the container (put a TLS reverse proxy in front); /metrics on a port of its own,
# which no public listener forwards; silo-to-silo traffic on 11111, private network only (it has no authentication).
ENV Urls=http://0.0.0.0:5080 \
    ObservabilityOptions__MetricsUrl=http://0.0.0.0:9464 \
    SiloHostingOptions__SiloPort=11111 \
    MailOptions__OutboxDirectory=/tmp/tibillet-outbox \
    Logging__Console__FormatterName=json
EXPOSE 5080 9464 11111
# The images' unprivileged user (uid 1654).
USER app
ENTRYPOINT ["dotnet", "TiBillet.Silo.dll"]
