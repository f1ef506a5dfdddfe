# Production image for the worker and the API (the same image; the command picks the role).
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    # The Temporal CLI is only for the embedded development mode; production uses the Temporal service.
    HOTICH_SKIP_TOOLS=1 \
    HOTICH_DATA_DIR=/var/lib/hotich
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
# tsx (a runtime dependency) runs the TypeScript sources: no build step, no dev dependencies.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
# The web page is built from the sources just copied (npm ci above ran before they were there).
RUN node scripts/build-web.js
RUN mkdir -p /var/lib/hotich && chown node:node /var/lib/hotich
USER node
EXPOSE 3000
ENTRYPOINT ["node", "cli/bin/hotich.js"]
CMD ["api"]
