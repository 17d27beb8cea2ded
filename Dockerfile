# One image for both services: `node dist/apps/router/main.js` (default) or `node dist/apps/remediator/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 2801 2803
# flags as in tools/runtime-flags.mjs
CMD ["node", "--max-semi-space-size=32", "dist/apps/router/main.js"]
