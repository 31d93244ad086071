#!/usr/bin/env bash
# The GPU check (docs/design/gpu.md §8): publishes bench/SleapPS.Bench as a self-contained linux-x64 app with the GPU
# build of ONNX Runtime, packs it with the fixtures it reads into parts small enough to send to a GPU machine one at a
# time, and runs it there: GPU against CPU predictions (within 0.05 px), float16's deviation, frames per second.
#
#   tools/gpu/check-gpu.sh --cpu-only          here, on a machine without a GPU: prepare, pack, unpack, run on the CPU
#   tools/gpu/check-gpu.sh prepare             here: publish, stage the fixtures, pack into .gpu/part-NN/ (each < 56 MiB)
#   tools/gpu/check-gpu.sh receive             there, after each part arrives: keep it in $SLEAPPS_GPU_HOME/parts
#   tools/gpu/check-gpu.sh run [options]       there: unpack once all parts are in, find CUDA/cuDNN, run the check
#
# run options (passed to SleapPS.Bench --gpu-check): --cpu-only, --device Cuda|TensorRT|..., --frames N (32),
# --batches 1,8,32, --repeat N (1), --case NAME. The report goes to $OUT/gpu-check.md when OUT is set (the device
# machine's result folder), else to $SLEAPPS_GPU_HOME/gpu-check.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
stage="$repo/.gpu"                                   # ignored by git (.gitignore): what is sent
home="${SLEAPPS_GPU_HOME:-/tmp/sleapps-gpu}"         # where the parts are kept and unpacked on the running machine
part_size=$((56 * 1024 * 1024))                      # one device call carries 64 MiB with the working tree
ort_gpu_version=1.32.0

say() { echo "check-gpu: $*" >&2; }

# The GPU build's native libraries (libonnxruntime.so and its CUDA and TensorRT providers) from the NuGet cache,
# restored through a throwaway project when they are not there yet.
gpu_natives() {
    local packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
    local native="$packages/microsoft.ml.onnxruntime.gpu.linux/$ort_gpu_version/runtimes/linux-x64/native"
    if [[ ! -f "$native/libonnxruntime_providers_cuda.so" ]]; then
        local project; project="$(mktemp -d)"
        cat > "$project/natives.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu.Linux" Version="$ort_gpu_version" /></ItemGroup>
</Project>
PROJECT
        dotnet restore "$project/natives.csproj" --nologo -v q >&2
        rm -rf "$project"
    fi
    [[ -f "$native/libonnxruntime_providers_cuda.so" ]] || { say "no $native/libonnxruntime_providers_cuda.so after restoring Microsoft.ML.OnnxRuntime.Gpu.Linux $ort_gpu_version"; exit 2; }
    echo "$native"
}

prepare() {
    local fixtures="$repo/../shared/fixtures"
    [[ -d "$fixtures/sleap" && -d "$fixtures/sleap-nn" ]] || { say "the fixtures are not at $fixtures"; exit 2; }
    rm -rf "$stage"
    mkdir -p "$stage/payload/app" "$stage/payload/fixtures/sleap/videos" "$stage/payload/fixtures/sleap/tracks" "$stage/payload/fixtures/sleap-nn"
    say "publishing bench/SleapPS.Bench (self-contained linux-x64)"
    dotnet publish "$repo/bench/SleapPS.Bench" -c Release -r linux-x64 --self-contained -o "$stage/payload/app" --nologo -v q -clp:NoSummary >&2
    # The GPU build of ONNX Runtime replaces the CPU one when the engine still references the CPU package: its C API
    # serves the managed bindings of earlier versions, and its CPU provider is the CPU build's.
    if [[ ! -f "$stage/payload/app/libonnxruntime_providers_cuda.so" ]]; then
        local native; native="$(gpu_natives)"
        cp "$native"/libonnxruntime.so "$native"/libonnxruntime_providers_*.so "$stage/payload/app/"
    fi
    say "staging the fixtures the check reads"
    cp -r "$fixtures/sleap/models" "$stage/payload/fixtures/sleap/"
    cp "$fixtures/sleap/videos/centered_pair_small.mp4" "$fixtures/sleap/videos/small_robot.mp4" "$stage/payload/fixtures/sleap/videos/"
    cp "$fixtures/sleap/tracks/clip.mp4" "$fixtures/sleap/tracks/clip.slp" "$stage/payload/fixtures/sleap/tracks/"
    mkdir -p "$stage/payload/fixtures/sleap-nn/model_ckpts"
    for model in "$fixtures"/sleap-nn/model_ckpts/minimal_instance_*; do
        mkdir -p "$stage/payload/fixtures/sleap-nn/model_ckpts/$(basename "$model")"
        cp "$model/best.ckpt" "$model/training_config.yaml" "$stage/payload/fixtures/sleap-nn/model_ckpts/$(basename "$model")/"
    done
    cp -r "$fixtures/sleap-nn/exports" "$stage/payload/fixtures/sleap-nn/"
    say "packing (gzip: on every machine, where xz took minutes here) into parts of at most $((part_size / 1024 / 1024)) MiB"
    tar -C "$stage/payload" -cf - . | gzip -6 | split -b "$part_size" -d -a 2 - "$stage/part-"
    local count=0
    for part in "$stage"/part-[0-9][0-9]; do
        mkdir "$part.d" && mv "$part" "$part.d/$(basename "$part")" && mv "$part.d" "$part"   # one folder per part: what one call carries
        count=$((count + 1))
    done
    (cd "$stage" && sha256sum part-*/part-* > parts.sha256)
    echo "$count" > "$stage/part-count"
    rm -rf "$stage/payload"
    say "ready: $count parts in $stage ($(du -sh "$stage" | cut -f1)); send each .gpu/part-NN with its own call (docs/design/gpu.md §8)"
}

# On the running machine: move the parts that came with this call out of the working tree into $home/parts.
receive() {
    mkdir -p "$home/parts"
    [[ -f "$stage/parts.sha256" ]] && cp "$stage/parts.sha256" "$stage/part-count" "$home/"
    for part in "$stage"/part-[0-9][0-9]/part-*; do
        [[ -f "$part" ]] && cp "$part" "$home/parts/"
    done
    local expected; expected="$(cat "$home/part-count" 2>/dev/null || echo '?')"
    say "have $(ls "$home/parts" | wc -l) of $expected parts in $home/parts: $(ls "$home/parts" | tr '\n' ' ')"
}

unpack() {
    [[ -x "$home/payload/app/SleapPS.Bench" ]] && return
    receive
    (cd "$home/parts" && sed 's#part-[0-9]*/##' "$home/parts.sha256" | sha256sum -c --quiet) \
        || { say "parts are missing or damaged (above): send the missing ones again"; exit 3; }
    mkdir -p "$home/payload"
    cat "$home"/parts/part-* | gzip -d | tar -C "$home/payload" -xf -
    rm -rf "$home/parts"
}

# CUDA 13 and cuDNN 9 from a PyTorch installation (its nvidia-* wheels), or from the system's library path.
cuda_library_path() {
    local roots=()
    if command -v python3 >/dev/null; then
        while IFS= read -r root; do roots+=("$root"); done < <(python3 - <<'PY' 2>/dev/null || true
import site, sys, os
paths = site.getsitepackages() + [site.getusersitepackages()] + sys.path
for p in dict.fromkeys(paths):
    for sub in ("nvidia", "torch/lib"):
        if os.path.isdir(os.path.join(p, sub)):
            print(os.path.join(p, sub))
PY
)
    fi
    local dirs=""
    for root in "${roots[@]}"; do
        while IFS= read -r dir; do dirs="$dirs:$dir"; done < <(find "$root" -name 'lib*.so*' \( -name 'libcudart.so.13*' -o -name 'libcublas*.so.13*' \
            -o -name 'libcurand.so.10*' -o -name 'libcudnn*.so.9*' -o -name 'libcufft.so.12*' -o -name 'libnvinfer.so.10*' -o -name 'libnvrtc*.so*' \) -printf '%h\n' | sort -u)
    done
    echo "${dirs#:}"
}

run_check() {
    local cpu_only=0 args=()
    for a in "$@"; do [[ "$a" == "--cpu-only" ]] && cpu_only=1; args+=("$a"); done
    unpack
    local app="$home/payload/app" fixtures="$home/payload/fixtures"
    if [[ $cpu_only == 0 ]]; then
        local cuda; cuda="$(cuda_library_path)"
        export LD_LIBRARY_PATH="$app${cuda:+:$cuda}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        say "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
        command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || say "nvidia-smi not found"
        for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9 libcuda.so.1 libnvinfer.so.10; do
            if ldconfig -p 2>/dev/null | grep -q "$lib" || ls ${LD_LIBRARY_PATH//:/\/$lib* } 2>/dev/null | grep -q .; then say "found $lib"; else say "MISSING $lib"; fi
        done
    fi
    local report="${OUT:-$home}/gpu-check.md"
    export SLEAPPS_MODEL_CACHE="$home/model-cache"
    say "running the check; report: $report"
    # The caller's options come first: the app takes the first of a repeated option.
    "$app/SleapPS.Bench" --gpu-check "$fixtures/sleap" "${args[@]}" --repeat 1 --report "$report"
}

case "${1:-}" in
    prepare) prepare ;;
    receive) receive ;;
    run) shift; run_check "$@" ;;
    --cpu-only)
        shift
        prepare
        rm -rf "$home"
        receive   # as the device calls would, then unpack and run as on the GPU machine
        run_check --cpu-only "$@"
        ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
