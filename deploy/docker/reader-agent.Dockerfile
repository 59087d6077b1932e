# TiBillet reader agent as a container (a till PC usually runs the single-file binary with systemd instead: see
# deploy/README.md). Build from the repository root:
#   docker build -f deploy/docker/reader-agent.Dockerfile -t tibillet/reader-agent:latest .
# Run it beside the host's pcscd, sharing its socket:
#   docker run -v /run/pcscd:/run/pcscd -e ReaderAgent__DeviceKey=… -e ReaderAgent__ServerUrl=https://… tibillet/reader-agent
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/ReaderAgent/TiBillet.ReaderAgent.csproj -c Release -r linux-x64 --self-contained \
      -p:PublishSingleFile=true -o /app --nologo

# Self-contained: only the native dependencies of .NET, plus the PC/SC client library.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
RUN apt-get update && apt-get install -y --no-install-recommends libpcsclite1 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
USER app
ENTRYPOINT ["/app/TiBillet.ReaderAgent"]
