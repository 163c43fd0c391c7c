# One image with every binary; docker-compose and Kubernetes pick the command per service.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bins

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/config-service /src/target/release/planmanager-reader \
     /src/target/release/journal-mapper /src/target/release/octopus-gateway \
     /src/target/release/orchestrator /src/target/release/octopus-sim \
     /src/target/release/octopus-export /usr/local/bin/
USER 65532:65532
