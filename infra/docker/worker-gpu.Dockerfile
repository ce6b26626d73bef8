# syntax=docker/dockerfile:1
# GPU worker image: `phasesweep worker --queue train-gpu` on @tensorflow/tfjs-node-gpu. Build from the
# repository root:
#   docker build -f infra/docker/worker-gpu.Dockerfile -t phasesweep-worker-gpu .
# Run with the NVIDIA container runtime (compose: deploy.resources.reservations.devices; docker run:
# --gpus all). The host needs an NVIDIA driver that supports CUDA 11 (>= 450.80).
ARG NODE_IMAGE=node:20-bookworm-slim
# tfjs-node-gpu 4.22 loads libtensorflow 2.9, built against CUDA 11.2 and cuDNN 8.1; any CUDA 11.x
# runtime with cuDNN 8 serves it (CUDA 11 minor-version compatibility). NVIDIA deletes tags of retired
# CUDA versions from Docker Hub: if this one is gone, pass a mirrored 11.x cudnn8 runtime image.
ARG CUDA_IMAGE=nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04

FROM ${NODE_IMAGE} AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# tfjs-node-gpu's install script downloads the GPU build of libtensorflow at image build time.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm install --no-save --omit=dev --no-audit --no-fund @tensorflow/tfjs-node-gpu@4.22.0

FROM ${NODE_IMAGE} AS node

FROM ${CUDA_IMAGE}
# Node's official Linux build needs only glibc >= 2.28, so the binary carries over to the CUDA image.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
# nvidia-smi (the "utility" capability) is how the worker counts its GPUs.
ENV NODE_ENV=production \
    PHASESWEEP_BACKEND=node-gpu \
    PHASESWEEP_HOME=/home/phasesweep/.phasesweep \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
RUN useradd --create-home --uid 1000 phasesweep
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER phasesweep
ENTRYPOINT ["node", "bin/phasesweep.js"]
CMD ["worker", "--queue", "train-gpu"]
