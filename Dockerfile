# syntax=docker/dockerfile:1
#
# Keel container image: the build stage compiles target/keel.jar with the Maven wrapper on a full JDK;
# the runtime stage holds only a JRE, the jar split into Spring Boot layers (dependencies change
# rarely, the application on every commit, so rebuilds reuse the big layers), and a non-root user.
#
#   docker build -t keel .
#   docker run -p 8080:8080 keel                 # serve (the default command)
#   docker run --env-file keel.env keel migrate  # any other CLI command: migrate, config check, --help
#
# No secret is baked in: configuration arrives at run time as environment variables or *_FILE
# secrets (docs/configuration.md).

ARG JDK_IMAGE=eclipse-temurin:21-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:21-jre-noble

# ---------------------------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /build
# Wrapper and POM first: the dependency download stays cached until pom.xml changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw && ./mvnw -B -q dependency:go-offline
COPY src src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/keel.jar extract --layers --destination /build/layers

# ---------------------------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS runtime
# curl serves the HEALTHCHECK only; the fixed uid/gid let Kubernetes' runAsNonRoot and volume
# ownership work without a name lookup.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 keel \
 && useradd --system --uid 10001 --gid keel --home-dir /app --no-create-home --shell /usr/sbin/nologin keel \
 && mkdir -p /app/.keel \
 && chown -R keel:keel /app/.keel
WORKDIR /app
# Layers from the least to the most frequently changing; together they form /app/keel.jar + /app/lib/.
COPY --from=build /build/layers/dependencies/ ./
COPY --from=build /build/layers/spring-boot-loader/ ./
COPY --from=build /build/layers/snapshot-dependencies/ ./
COPY --from=build /build/layers/application/ ./

USER 10001:10001
EXPOSE 8080
# Liveness only: /up touches no dependency. The start period covers a first start that provisions the
# embedded database; with an external database Keel answers in a few seconds.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:${PORT:-8080}/up" || exit 1

# Heap follows the container's memory limit; an OutOfMemoryError ends the process so the orchestrator
# restarts it instead of leaving a half-working JVM. Add flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/app/keel.jar"]
CMD ["serve"]
