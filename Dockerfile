# Falconer images, built from the repository root:
#   docker build -t falconer .                                   router + dashboard (the default, last stage)
#   docker build --target remediator -t falconer-remediator .    remediator
# Both run as the unprivileged `node` user (uid 1000) with only the built apps and production dependencies;
# e2e/src/deploy/dockerfile.spec.ts checks every path copied here and runs the start commands from a
# production-only install.

# --- build: every dependency, the whole workspace, `npm run build` into dist/
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- production dependencies only (no build tools, test servers or type packages)
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- what both targets share: the production dependencies, run as the unprivileged `node` user
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=prod-deps /app/package.json ./package.json
COPY --from=prod-deps /app/node_modules ./node_modules
USER node

# --- remediator: `docker build --target remediator`
FROM runtime AS remediator
COPY --from=build /app/dist/apps/remediator ./dist/apps/remediator
EXPOSE 2803
CMD ["node", "dist/apps/remediator/main.js"]

# --- router with the dashboard (default target)
FROM runtime AS router
COPY --from=build /app/dist/apps/router ./dist/apps/router
COPY --from=build /app/dist/apps/dashboard ./dist/apps/dashboard
# the remediator's bundle too, so one image serves both (docker-compose.yml, deploy/helm: `command:`)
COPY --from=build /app/dist/apps/remediator ./dist/apps/remediator
EXPOSE 2801
# flags as in tools/runtime-flags.mjs (checked by the Dockerfile test)
CMD ["node", "--max-semi-space-size=32", "dist/apps/router/main.js"]
