# leen-api container image.
#
#   docker build -t leen .
#   docker run -e DATABASE_URL=postgresql://... -p 8080:8080 leen
#
# or, with a PostgreSQL next to it, `docker-compose up` (docker-compose.yml).
# leen-api applies pending schema migrations when it starts (LEEN_MIGRATE=0
# turns that off); the migrations are compiled into the binary.

# --- build ------------------------------------------------------------------
FROM debian:12-slim AS build

# fonts-dejavu-core: the label renderer's font, kept here too so a build-time
# step that renders labels finds the same font as the runtime image;
# gettext: msgfmt builds the CLI's message catalogues.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config \
      libpq-dev libmicrohttpd-dev libcjson-dev libqrencode-dev libcairo2-dev \
      libcurl4-openssl-dev libsodium-dev fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# .dockerignore keeps local build trees, .local/ and .git out of the context.
COPY . .
# No tests in the image: they need Criterion and a PostgreSQL cluster.
RUN cmake -S . -B build -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build -j

# --- runtime ----------------------------------------------------------------
FROM debian:12-slim

# Only the shared libraries the two binaries link against, plus
# ca-certificates (TLS to PostgreSQL or the API) and curl (HEALTHCHECK).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpq5 libmicrohttpd12 libcjson1 libqrencode4 libcairo2 libcurl4 libsodium23 \
      fonts-dejavu-core ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

# A fixed UID so volumes and orchestrators (runAsUser) can rely on it.
RUN groupadd --system --gid 10001 leen \
 && useradd --system --uid 10001 --gid leen --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin leen

COPY --from=build /src/build/api/leen-api /src/build/cli/leen /usr/local/bin/
# leen finds its catalogues in ../share/locale from its binary
COPY --from=build /src/build/cli/locale/ /usr/local/share/locale/
COPY web/ /usr/share/leen/web/

USER leen

# Inside a container the API must listen on all interfaces to be reachable
# through a published port; the binary's default is 127.0.0.1:8080.
ENV LEEN_LISTEN=0.0.0.0:8080
EXPOSE 8080

# /healthz is liveness only (no database round trip), so a database outage
# does not mark the API container unhealthy. If LEEN_LISTEN is overridden
# with another port, override this too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1

CMD ["leen-api"]
