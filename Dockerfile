# syntax=docker/dockerfile:1
#
# virgl4j in a container: builds the library on Debian 12 and, by default, renders the demo on
# Mesa's llvmpipe (no GPU, no display needed).
#
#   docker build -t virgl4j .
#   docker run --rm -v "$PWD/demo-out:/out" virgl4j                    # llvmpipe
#   docker run --rm -v "$PWD/demo-out:/out" --device /dev/dri virgl4j  # host GPU (Mesa driver)
#   docker run --rm virgl4j info --json                                # any other CLI command
#
# With --device /dev/dri the renderer picks the first /dev/dri/renderD* (EGL on GBM) and the
# image's Mesa drivers (radeonsi, iris, nouveau, ...) drive it; the proprietary NVIDIA driver is
# not in the image. Running as a non-root user (--user) works: all caches live in /tmp.
#
# BASE lets native/check-dockerfile.sh build FROM a local debootstrap image of the same release.
ARG BASE=debian:bookworm

# ---------------------------------------------------------------------------------------------
FROM ${BASE} AS build
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# Packages first, so only a change to install-deps.sh re-runs this layer.
COPY native/install-deps.sh native/install-deps.sh
RUN native/install-deps.sh --build && rm -rf /var/lib/apt/lists/*
COPY . .
# The Maven repository is a cache mount: rebuilding after a source change downloads nothing.
RUN --mount=type=cache,id=virgl4j-m2,target=/root/.m2 \
    mvn -B -q install -DskipTests \
 && mkdir -p /opt/virgl4j/lib \
 && cp java/target/virgl4j-*.jar java/target/lib/*.jar /opt/virgl4j/lib/

# ---------------------------------------------------------------------------------------------
FROM ${BASE}
# Metadata first: after the big package layer comes only the COPY of the jars (each layer is a
# full copy of the file system with buildah's vfs storage).
# JavaCPP extracts the JNI library and Mesa keeps its shader cache under /tmp, and /out is
# world-writable, so any --user works (a bind-mounted /out needs to be writable by that user).
ENV DEBIAN_FRONTEND=noninteractive \
    MESA_SHADER_CACHE_DIR=/tmp/virgl4j/mesa-shader-cache
ENTRYPOINT ["java", "-XX:PerMethodTrapLimit=0", "-Dorg.bytedeco.javacpp.cachedir=/tmp/virgl4j/javacpp", \
            "-cp", "/opt/virgl4j/lib/*", "io.github.virgl4j.cli.Main"]
CMD ["demo", "--out=/out"]
COPY native/install-deps.sh /opt/virgl4j/install-deps.sh
# libvirglrenderer1 + Mesa EGL/GBM/llvmpipe (install-deps.sh --runtime) and a headless JRE 17.
# (openjdk's postinst wants man1 to exist even where man pages are excluded.)
RUN mkdir -p /usr/share/man/man1 /out && chmod 1777 /out \
 && apt-get update -q \
 && /opt/virgl4j/install-deps.sh --runtime \
 && apt-get install -y -q --no-install-recommends openjdk-17-jre-headless \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/virgl4j/lib/ /opt/virgl4j/lib/
