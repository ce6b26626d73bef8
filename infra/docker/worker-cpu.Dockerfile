# syntax=docker/dockerfile:1
# CPU worker image: `phasesweep worker --queue train-cpu` on the tfjs-node backend (native TensorFlow on
# the CPU). Build from the repository root:
#   docker build -f infra/docker/worker-cpu.Dockerfile -t phasesweep-worker-cpu .
# The same image runs the one-shot jobs of the compose file (db migrate, dashboards build) and the CLI.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
# tfjs-node fetches a prebuilt binding; the toolchain is the fallback when none matches this Node.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# tfjs-node is not a dependency of the repository (its install script downloads libtensorflow, which a
# laptop checkout should not need); the image adds it at the tfjs version the trainer uses.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm install --no-save --omit=dev --no-audit --no-fund @tensorflow/tfjs-node@4.22.0

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PHASESWEEP_BACKEND=node \
    PHASESWEEP_HOME=/home/node/.phasesweep
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER node
ENTRYPOINT ["node", "bin/phasesweep.js"]
CMD ["worker", "--queue", "train-cpu"]
