#!/usr/bin/env bash
# Uses the packages as a user would, from projects in a temporary folder outside the repository that reference only
# Nest.Synthesis from a temporary feed (packs Nest.Cli with a version of its own). Each check prints one line,
# "PASS name" or "FAIL name: why"; .ci/run counts them.
#   app: Program.cs and a seed of its own are the README's snippets ("Use Nest in your own project"); `synthesize` on
#        a small IDX data set it writes must exit 0 and leave report.json, and `inspect --seed` must find the seed by
#        its class name;
#   api: Program.cs is docs/api.md's library example, run to its end;
#   tool: the .NET tool Nest.Synthesis.Cli installed with --tool-path runs `nest inspect` and `nest describe` (a forward
#         pass of every built-in seed: LibTorch's native library loads from the tool's folder).
# The projects compile with TreatWarningsAsErrors, Nullable and GenerateDocumentationFile, as a careful user's project would.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/nest-consume.XXXXXX)
# A version of its own each run, so that NuGet's cache never serves an older package of the same number.
version="0.0.0-consume.$(date +%s)"
cleanup() { rm -rf "$work" "$HOME/.nuget/packages/nest.synthesis/$version" "$HOME/.nuget/packages/nest.synthesis.cli/$version"; }
[ "${NEST_CONSUME_KEEP:-}" = 1 ] || trap cleanup EXIT   # NEST_CONSUME_KEEP=1 keeps the folder to look into
log=$work/log
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; [ -f "$3" ] && tail -25 "$3" | sed 's/^/    /'; }

if ! dotnet pack "$repo/Nest.Cli/Nest.Cli.csproj" -c Release -o "$work/feed" -p:PackageVersion="$version" > "$log.pack" 2>&1; then
  fail pack "dotnet pack Nest.Cli failed" "$log.pack"; exit 1
fi
cat > "$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="nest-local" value="$work/feed" />
  </packageSources>
</configuration>
XML

project() { # folder
  mkdir -p "$work/$1"
  cat > "$work/$1/$1.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <GenerateDocumentationFile>true</GenerateDocumentationFile>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Nest.Synthesis" Version="$version" />
  </ItemGroup>
</Project>
XML
}

# The C# block that follows "<!-- consumer: NAME -->" in a document (README.md or docs/api.md); empty if none.
snippet() { # NAME DOCUMENT
  awk -v key="<!-- consumer: $1 -->" '$0 == key { on = 1; next } on && /^```csharp/ { inside = 1; next }
    inside && /^```/ { exit } inside { print }' "$repo/$2"
}

# --- app: the whole command line over a seed of the user's own
project app
snippet app/Program.cs README.md > "$work/app/Program.cs"
snippet app/Toy64.cs README.md > "$work/app/Toy64.cs"
# A small IDX data set (8x8 inputs, 4 classes: the brightest of four quadrants), written as a user's tool would.
python3 - "$work/data" <<'PY'
import os, random, struct, sys
folder = sys.argv[1]; os.makedirs(folder)
rng = random.Random(0)
def write(prefix, count):
    images, labels = bytearray(), bytearray()
    for _ in range(count):
        label = rng.randrange(4)
        for r in range(8):
            for c in range(8):
                quadrant = (r // 4) * 2 + c // 4
                images.append(min(255, rng.randrange(0, 120) + (110 if quadrant == label else 0)))
        labels.append(label)
    with open(os.path.join(folder, prefix + "-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 0x803, count, 8, 8)); f.write(images)
    with open(os.path.join(folder, prefix + "-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 0x801, count)); f.write(labels)
write("train", 1200); write("t10k", 300)
PY
if ! (cd "$work/app" && dotnet build -c Release > "$log.app-build" 2>&1); then
  fail app-build "the NestApp project did not build" "$log.app-build"
else
  pass app-build
  run=(dotnet "$work/app/bin/Release/net10.0/app.dll")
  if "${run[@]}" inspect --seed toy64 > "$log.app-inspect" 2>&1 && grep -q "Toy64" "$log.app-inspect"; then
    pass app-inspect
  else
    fail app-inspect "inspect --seed toy64 did not describe the seed" "$log.app-inspect"
  fi
  if "${run[@]}" synthesize --seed toy64 --data "$work/data" --out "$work/run" --threads 1 --no-progress \
       --seed-epochs 1 --growth-steps 1 --growth-epochs 1 --converge-epochs 1 --prune-steps 2 --prune-epochs 1 \
       > "$log.app-synthesize" 2>&1 && [ -s "$work/run/report.json" ]; then
    pass app-synthesize
  else
    fail app-synthesize "synthesize did not exit 0 with report.json" "$log.app-synthesize"
  fi
fi

# --- api: the library example of docs/api.md
project api
snippet api/Program.cs docs/api.md > "$work/api/Program.cs"
if ! (cd "$work/api" && dotnet build -c Release > "$log.api-build" 2>&1); then
  fail api-build "docs/api.md's example did not build" "$log.api-build"
elif dotnet "$work/api/bin/Release/net10.0/api.dll" > "$log.api-run" 2>&1 && grep -q "^synthesized: " "$log.api-run"; then
  pass api-build; pass api-run
else
  pass api-build; fail api-run "docs/api.md's example did not run to its end" "$log.api-run"
fi

# --- tool: Nest.Synthesis.Cli installed as a user would
if ! dotnet pack "$repo/samples/Nest.Samples/Nest.Samples.csproj" -c Release -o "$work/feed" -p:PackageVersion="$version" > "$log.tool-pack" 2>&1; then
  fail tool-install "dotnet pack of the tool failed" "$log.tool-pack"
elif ! dotnet tool install --tool-path "$work/tools" --add-source "$work/feed" --version "$version" Nest.Synthesis.Cli > "$log.tool-install" 2>&1; then
  fail tool-install "dotnet tool install failed" "$log.tool-install"
else
  pass tool-install
  if (cd "$work" && "$work/tools/nest" inspect --seed lenet300 && "$work/tools/nest" describe) > "$log.tool-run" 2>&1 \
       && grep -q "LeNet300" "$log.tool-run" && grep -q "forward pass" "$log.tool-run"; then
    pass tool-run
  else
    fail tool-run "nest inspect --seed lenet300 or nest describe failed" "$log.tool-run"
  fi
fi
