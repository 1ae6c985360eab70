# Regent: the service and the sidecar in one image (`regent run`, `regent sync`).
# Build stage: the compiler toolchain (TypeScript, AssemblyScript) builds dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY server server
COPY sync sync
COPY bench bench
COPY test/support test/support
RUN npm run build

# Runtime: production dependencies, the build and the policy library only.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
# glibc keeps what threads free (a finished build, a replaced worker) unless its trim threshold
# is fixed; fixed, an idle service holds about half the memory (README, "Memory").
ENV MALLOC_TRIM_THRESHOLD_=131072
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist dist
COPY bin bin
COPY policies policies
USER node
EXPOSE 8181
ENTRYPOINT ["node", "bin/regent.js"]
CMD ["run", "--addr", ":8181", "policies/"]
