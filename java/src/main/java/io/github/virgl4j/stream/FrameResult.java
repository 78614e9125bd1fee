package io.github.virgl4j.stream;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One frame of a replay against its stream.
 *
 * @param expectedSha256 the recorded hash, null for a frame the stream does not have
 * @param actualSha256   the replayed hash, null when the replay produced no frame
 * @param psnr           PSNR against the reference image in dB, when compared (null otherwise;
 *                       "Infinity" when identical)
 * @param maxChannelDelta largest R/G/B difference against the reference image, when compared
 * @param png            where the replayed frame was written, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FrameResult(int index, FrameKind kind, int sourceId, int width, int height, String expectedSha256,
                          String actualSha256, Status status, Double psnr, Integer maxChannelDelta, String png) {

    public enum Status {
        /** Bit-identical to the recording. */
        MATCH,
        /** Differs, but within the tolerance against the reference image (another Mesa). */
        TOLERATED,
        /** Differs beyond the tolerance, or at all on the Mesa the stream was recorded with. */
        DIFFERENT,
        /** Differs, recorded on another Mesa, and the stream has no reference image for it. */
        UNVERIFIED,
        /** The stream has this frame; the replay did not produce it. */
        MISSING,
        /** The replay produced a frame the stream does not have. */
        EXTRA;

        public boolean failed() {
            return this == DIFFERENT || this == MISSING || this == EXTRA;
        }
    }
}
