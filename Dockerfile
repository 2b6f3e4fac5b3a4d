# syntax=docker/dockerfile:1
# userpool in a container. The build stage compiles the TypeScript and the native modules; the
# runtime stage holds only what `userpool serve` reads and runs as the unprivileged `node` user.
# Build: docker build -t userpool .   Run: docker run -p 9229:9229 -v userpool-data:/data userpool
# See docs/deployment.md.

# The version CI tests on; both stages must use the same one, or better-sqlite3's compiled
# binding will not load in the runtime stage.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The full image has python3, make and g++ for better-sqlite3 when no prebuilt binary fits.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts scripts/
COPY src/ src/
COPY bin/ bin/
COPY migrations/ migrations/
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=9229 \
    USERPOOL_DB=/data/userpool.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules/ node_modules/
COPY --from=build /app/dist/ dist/
COPY --from=build /app/bin/ bin/
COPY --from=build /app/migrations/ migrations/
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 9229
# The slim image has no curl; Node's own fetch asks the readiness endpoint on the port in use.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 9229) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, so docker stop's SIGTERM reaches Node, which drains and closes the database.
CMD ["node", "bin/userpool.js", "serve"]
