# kpi-bot's image (docs/deploy.md). Three stages: production dependencies, the build (with the dev
# dependencies), and the runtime image, which gets only the first two's results.
#   docker build -t kpi-bot .
#   docker run -v kpi-data:/data kpi-bot                 # the demo on the embedded PGlite
#   docker compose up -d                                   # PostgreSQL and two replicas (compose.yaml)
# Debian slim rather than Alpine: the native modules (@node-rs/jieba, @resvg/resvg-js) ship glibc builds.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the project's own `prepare` builds (not wanted here), and the dependencies'
# scripts are the ones package.json's allowScripts already refuses (esbuild, protobufjs).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    KPI_HOST=0.0.0.0 \
    KPI_PORT=3000 \
    KPI_DATA_DIR=/data
WORKDIR /app
# The code stays root's, readable by all: the bot's user can write only to /data.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY migrations ./migrations
# The built-in schemes are data files, read from src/schemes/builtin by the built code too.
COPY src/schemes/builtin ./src/schemes/builtin
COPY kpi.config.example.yaml ./
# PGlite's directory when DATABASE_URL is unset: mount a volume here (one container only).
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 3000
# Node, not curl: the slim image has no curl. bin/healthcheck.js asks GET /healthz on KPI_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "bin/healthcheck.js"]
# Exec form: node is PID 1 and gets SIGTERM itself; `kpi start` then finishes the jobs and sends
# under way, closes the database and exits 0. Any other command runs the same way:
#   docker run --rm kpi-bot score --period last-month
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/kpi.js"]
CMD ["start"]
