package io.github.virgl4j.renderer;

import java.nio.charset.StandardCharsets;

/** Facts about the capset blobs virglrenderer fills (virglrenderer src/virgl_hw.h, struct virgl_caps_v2). */
final class CapsetLayout {
    /** Offset of {@code char renderer[64]} in struct virgl_caps_v2 (after v1's 308 bytes and the v2 limits). */
    static final int V2_RENDERER_OFFSET = 696;
    static final int V2_RENDERER_LENGTH = 64;

    private CapsetLayout() {
    }

    /** The host renderer name that guests report as {@code virgl (<name>)}, or "" if absent. */
    static String rendererName(byte[] capsetV2) {
        if (capsetV2.length < V2_RENDERER_OFFSET + V2_RENDERER_LENGTH) {
            return "";
        }
        int end = V2_RENDERER_OFFSET;
        while (end < V2_RENDERER_OFFSET + V2_RENDERER_LENGTH && capsetV2[end] != 0) {
            if (capsetV2[end] < 0x20 || capsetV2[end] > 0x7e) {
                return "";
            }
            end++;
        }
        return new String(capsetV2, V2_RENDERER_OFFSET, end - V2_RENDERER_OFFSET, StandardCharsets.US_ASCII);
    }
}
