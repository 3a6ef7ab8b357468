# syntax=docker/dockerfile:1
#
# Storekeep as a static, non-root container. The binary embeds its migrations,
# openapi.yaml and the /docs page, so the image is the binary and nothing else.
#
#   docker build -t storekeep .
#   docker run -p 8080:8080 -v storekeep-data:/data storekeep            # SQLite in /data
#   docker run -p 8080:8080 storekeep serve --demo                       # with the demo shop
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://... storekeep     # PostgreSQL
#
# Set STOREKEEP_JWT_SECRET (32+ bytes) in production; without it a secret is
# generated once and stored in the database.

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so source edits do not re-download them.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO off: the SQLite driver is pure Go, so the binary is fully static.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/storekeep . \
    && mkdir -p /out/data

# distroless/static: CA certificates, tzdata and /etc/passwd with the
# 'nonroot' user (uid 65532), no shell and no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/storekeep /usr/local/bin/storekeep
# The SQLite database lives on this volume; a new named volume takes the
# directory's ownership from the image, so the non-root server can write it.
COPY --from=build --chown=65532:65532 /out/data /data
VOLUME ["/data"]
ENV DATABASE_URL=sqlite:/data/storekeep.db \
    STOREKEEP_ADDR=:8080
USER 65532:65532
EXPOSE 8080
# No curl in the image: the binary probes its own /healthz over loopback, on
# the port of STOREKEEP_ADDR (change the port with that variable, not --addr).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/storekeep", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/storekeep"]
CMD ["serve"]
