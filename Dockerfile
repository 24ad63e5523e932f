# Build the web interface, then the server, then a small runtime image.
FROM node:20-bookworm AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY openapi/ /src/openapi/
RUN npm run build

FROM rust:1.95-bookworm AS server
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p vakt-server --bin vakt

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /var/lib/vakt vakt \
    && mkdir -p /var/lib/vakt && chown vakt /var/lib/vakt
COPY --from=server /src/target/release/vakt /usr/local/bin/vakt
COPY --from=web /src/frontend/dist /usr/share/vakt/web
USER vakt
WORKDIR /var/lib/vakt
EXPOSE 8080
ENV VAKT_BIND=0.0.0.0:8080 VAKT_STATIC_DIR=/usr/share/vakt/web
CMD ["vakt", "serve"]
