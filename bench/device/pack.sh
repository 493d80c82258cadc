#!/usr/bin/env bash
# Packs what the GPU-machine run needs into .device/ (git-ignored): the .NET runtime of this machine
# and the benchmark's managed assemblies (not LibTorch: the CUDA run uses --no-torch and compares
# against the PyTorch that the GPU machine has). About 30 MB, under the device tool's 64 MiB.
#   bash bench/device/pack.sh     then carry ".device" and run bench/device/mask-kernels-cuda.sh there
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/Nest.Benchmarks -c Release -v q -nologo > /dev/null
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
rm -rf .device && mkdir -p .device/app
cp bench/Nest.Benchmarks/bin/Release/net10.0/*.dll bench/Nest.Benchmarks/bin/Release/net10.0/*.json .device/app/
tar -C "$root" -cJf .device/dotnet.tar.xz dotnet host shared/Microsoft.NETCore.App
du -sh .device
