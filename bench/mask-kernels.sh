#!/usr/bin/env bash
# Mask-kernel throughput, Nest's kernels against TorchSharp ops on the same data, in one run.
#   bash bench/mask-kernels.sh                  # CPU path, 1M and 61M scores
#   bash bench/mask-kernels.sh --backend cuda   # on a machine with an NVIDIA GPU and the .NET SDK
#   (without the SDK: bench/device/pack.sh, then bench/device/mask-kernels-cuda.sh there)
# Writes bench/results/mask-kernels-<backend>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=cpu
for ((i = 1; i <= $#; i++)); do [ "${!i}" = "--backend" ] && { j=$((i + 1)); backend=${!j}; }; done
mkdir -p bench/results
dotnet build bench/Nest.Benchmarks -c Release -v q -nologo > /dev/null
dotnet bench/Nest.Benchmarks/bin/Release/net10.0/Nest.Benchmarks.dll "$@" | tee "bench/results/mask-kernels-$backend.md"
