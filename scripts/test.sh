#!/usr/bin/env bash
# The one test command (README "Run the tests"). Installs what the tests need from Debian packages when it runs as root
# and something is missing, then runs every test project. The tests start their own throwaway PostgreSQL and pcscd.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pcscd >/dev/null 2>&1 || need+=(pcscd)
[ -e /etc/reader.conf.d/vpcd ] || need+=(vsmartcard-vpcd)
# Headless Chromium opens the GraphiQL page in a test.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/lib/x86_64-linux-gnu/libpcsclite.so.1 ] || ls /usr/lib/*/libpcsclite.so.1 >/dev/null 2>&1 || need+=(libpcsclite1)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing missing packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
      || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
  else
    echo "Missing Debian packages: ${need[*]} (run as root to install them automatically)" >&2
    exit 1
  fi
fi

# initdb refuses to run as root: the test PostgreSQL runs as the 'postgres' OS user.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin postgres
fi

# A pcscd started by the system (socket activation) would hold the readers the tests drive; the tests start their own.
if command -v systemctl >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  systemctl stop pcscd.socket pcscd.service >/dev/null 2>&1 || true
fi

dotnet build TiBillet.sln -c Release -warnaserror --nologo -v quiet

# The reader agent as till PCs get it: one self-contained file per architecture (README "The reader agent").
# The end-to-end tap tests run the x64 one.
rm -rf artifacts/reader-agent
for rid in linux-x64 linux-arm64; do
  dotnet publish src/ReaderAgent -c Release -r "$rid" --self-contained -p:PublishSingleFile=true -p:DebugType=none \
    -o "artifacts/reader-agent/$rid" --nologo -v quiet
done
export TIBILLET_READER_AGENT_BINARY="$PWD/artifacts/reader-agent/linux-x64/TiBillet.ReaderAgent"

log=$(mktemp)
set +e
dotnet test TiBillet.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over all test assemblies (each prints "Passed!/Failed! - Failed: F, Passed: P, …").
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
