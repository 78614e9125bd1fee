package io.github.virgl4j.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The JSON manifest at the head of a stream file: what was recorded, on what, and the frames a
 * replay must reproduce.
 *
 * @param formatVersion {@link StreamFormat#VERSION}
 * @param createdAt     ISO-8601 instant of the recording
 * @param source        the program that produced the stream
 * @param recordedOn    the host renderer the expected hashes come from
 * @param device        the device configuration the stream needs
 * @param counts        totals, for a quick look and for checks
 * @param frames        every frame, in order, with its expected hash
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamManifest(int formatVersion, String createdAt, Source source, Host recordedOn, Device device,
                             Counts counts, List<ExpectedFrame> frames) {

    public StreamManifest {
        frames = frames == null ? List.of() : List.copyOf(frames);
    }

    /** @param program what ran (e.g. {@code glmark2 -b build}); {@code description} free text */
    public record Source(String program, String description) {
    }

    /**
     * @param virgl4j       virgl4j's version
     * @param backend       {@code llvmpipe} or {@code gpu}
     * @param glRenderer    host GL_RENDERER
     * @param glVersion     host GL_VERSION (names the Mesa version)
     * @param virglrenderer the libvirglrenderer file that was loaded
     */
    public record Host(String virgl4j, String backend, String glRenderer, String glVersion, String virglrenderer) {
        /** Whether frames rendered here can be expected to match this host's hashes bit for bit. */
        public boolean sameRendering(Host other) {
            return other != null && java.util.Objects.equals(glRenderer, other.glRenderer)
                    && java.util.Objects.equals(glVersion, other.glVersion)
                    && java.util.Objects.equals(virglrenderer, other.virglrenderer);
        }
    }

    /**
     * @param scanouts scanout count; {@code width}×{@code height} the display size offered;
     *                 {@code blob} whether RESOURCE_BLOB was offered; {@code limits} the device's
     *                 limits (a replay applies the same, so a refused request is refused again)
     */
    public record Device(int scanouts, int width, int height, boolean blob, io.github.virgl4j.device.GpuLimits limits) {
    }

    /** @param backingBytes guest bytes stored (after compaction) */
    public record Counts(long records, long requests, long backingBytes, long frames) {
    }

    /** @param sha256 of the frame's pixels (see {@link io.github.virgl4j.device.Frame#sha256()}) */
    public record ExpectedFrame(int index, FrameKind kind, int sourceId, int width, int height, String sha256,
                                boolean reference) {
    }
}
