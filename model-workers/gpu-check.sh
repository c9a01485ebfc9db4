#!/usr/bin/env bash
# GPU check for the TensorRT backend (cannot run on the CPU-only dev/CI machines).
#
# Builds model-workers with the Maven profile -Pgpu, which adds the linux-x86_64 native jars
# (JavaCPP, CUDA + cuda-redist runtime libraries, TensorRT JNI bindings), then runs TensorRtGpuIT:
# it builds a TensorRT engine from an ONNX model (default: the benchmark MLP examples/mlp/model.onnx,
# dynamic batch profile kMIN 1 / kOPT 32 / kMAX 32), checks its outputs against ONNX Runtime on the
# CPU for batches 1, 32 and 70 (70 is split into 32+32+6), and prints throughput at batch 1 and 32.
#
# Needs: an NVIDIA GPU + driver (nvidia-smi); TensorRT 10.x libraries (libnvinfer.so.10,
# libnvonnxparser.so.10), found via ldconfig, $TENSORRT_HOME/lib, or the pip package tensorrt-libs;
# Maven Central the first time (cuda-redist is ~380 MB), or a pre-filled ~/.m2 with OFFLINE=1.
#
# Usage: model-workers/gpu-check.sh [model.onnx]      env: FP16=true, SECONDS_PER_BATCH=3, OFFLINE=1
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MODEL="${1:-examples/mlp/model.onnx}"
case "$MODEL" in /*) ;; *) MODEL="$(pwd)/$MODEL" ;; esac
FP16="${FP16:-false}"

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L; then
  echo "gpu-check: no NVIDIA GPU or driver (nvidia-smi failed)" >&2
  exit 2
fi

if ! ldconfig -p 2>/dev/null | grep -q 'libnvinfer\.so\.10'; then
  if [ -n "${TENSORRT_HOME:-}" ] && [ -d "$TENSORRT_HOME/lib" ]; then
    export LD_LIBRARY_PATH="$TENSORRT_HOME/lib:${LD_LIBRARY_PATH:-}"
  elif TRT_LIBS="$(python3 -c 'import os, tensorrt_libs; print(os.path.dirname(tensorrt_libs.__file__))' 2>/dev/null)"; then
    export LD_LIBRARY_PATH="$TRT_LIBS:${LD_LIBRARY_PATH:-}"
  else
    echo "gpu-check: TensorRT 10 libraries (libnvinfer.so.10) not found; install libnvinfer10 +" \
      "libnvonnxparsers10, set TENSORRT_HOME, or pip install tensorrt-libs" >&2
    exit 3
  fi
fi

rm -f model-workers/target/trt-throughput.txt
MVN_OFFLINE=()
if [ -n "${OFFLINE:-}" ]; then MVN_OFFLINE=(-o); fi
./mvnw -B ${MVN_OFFLINE[@]+"${MVN_OFFLINE[@]}"} -pl model-workers -Pgpu -Djavacpp.platform=linux-x86_64 \
  -Dspotless.check.skip=true \
  -Dtest=NoUnitTestsInGpuCheck -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=TensorRtGpuIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dkaskade.trt.model="$MODEL" -Dkaskade.trt.fp16="$FP16" \
  -Dkaskade.trt.seconds="${SECONDS_PER_BATCH:-3}" \
  verify

REPORT_XML=model-workers/target/failsafe-reports/TEST-dev.kaskade.workers.backend.tensorrt.TensorRtGpuIT.xml
if grep -q '<skipped' "$REPORT_XML" 2>/dev/null; then
  echo "gpu-check: TensorRtGpuIT was SKIPPED:" >&2
  grep -o 'Assumption failed: [^&]*' "$REPORT_XML" | head -1 >&2
  exit 4
fi
echo "== TensorRT throughput ($(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)) =="
cat model-workers/target/trt-throughput.txt
