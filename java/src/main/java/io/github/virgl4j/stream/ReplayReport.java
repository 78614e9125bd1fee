package io.github.virgl4j.stream;

import java.util.List;

/**
 * The outcome of replaying one stream.
 *
 * @param exactHost          the host renders like the one the stream was recorded on (same GL
 *                           renderer, GL version and virglrenderer), so every frame must match bit for bit
 * @param responseMismatches requests answered with another response type than when recorded
 *                           (first few, described), and {@code responseMismatchCount} of them in all
 * @param nanos              wall time of the replay
 */
public record ReplayReport(String stream, StreamManifest manifest, StreamManifest.Host replayedOn, boolean exactHost,
                           List<FrameResult> frames, long records, long requests, long bytes,
                           List<String> responseMismatches, long responseMismatchCount, long nanos) {

    public ReplayReport {
        frames = List.copyOf(frames);
        responseMismatches = List.copyOf(responseMismatches);
    }

    /** No frame failed and every request got the response type it got when recorded. */
    public boolean passed() {
        return responseMismatchCount == 0 && frames.stream().noneMatch(f -> f.status().failed());
    }

    public long count(FrameResult.Status status) {
        return frames.stream().filter(f -> f.status() == status).count();
    }
}
