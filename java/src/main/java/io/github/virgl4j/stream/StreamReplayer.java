package io.github.virgl4j.stream;

import io.github.virgl4j.renderer.Renderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Replays a stream file through a fresh {@link io.github.virgl4j.device.VirtioGpu} and compares
 * every frame with the recording: bit-identical hashes on a host that renders like the recording
 * host (same GL renderer, GL version and virglrenderer), otherwise PSNR against the stream's
 * reference images ({@link Options#minPsnr}, 30 dB by default).
 *
 * <pre>{@code
 * ReplayReport r = StreamReplayer.replay(Path.of("test-streams/build.vgs"), renderer, Options.defaults());
 * if (!r.passed()) ...
 * }</pre>
 */
public final class StreamReplayer {
    private StreamReplayer() {
    }

    /**
     * @param pngDir   where replayed frames are written ({@code <dir>/<stream name>/frame-NNNNN.png}), or null
     * @param minPsnr  the tolerance on another host: a differing frame passes at this PSNR or above
     * @param progress told the number of records replayed so far, now and then
     */
    public record Options(Path pngDir, double minPsnr, LongConsumer progress) {
        public static final double DEFAULT_MIN_PSNR = 30.0;

        public Options {
            Objects.requireNonNull(progress, "progress");
        }

        public static Options defaults() {
            return new Options(null, DEFAULT_MIN_PSNR, n -> { });
        }

        public Options withPngDir(Path dir) {
            return new Options(dir, minPsnr, progress);
        }

        public Options withMinPsnr(double value) {
            return new Options(pngDir, value, progress);
        }

        public Options withProgress(LongConsumer value) {
            return new Options(pngDir, minPsnr, value);
        }
    }

    /**
     * Replays one stream file.
     *
     * @param renderer the shared renderer, or null for a 2D-only device (2D streams replay without one)
     * @throws StreamFormatException when the file is corrupt or truncated (the message names the record)
     */
    public static ReplayReport replay(Path file, Renderer renderer, Options options) throws IOException {
        try (StreamReader reader = StreamReader.open(file)) {
            return new ReplayRun(file, reader, renderer, options).run();
        }
    }

    /** Reads only a stream's manifest. */
    public static StreamManifest manifest(Path file) throws IOException {
        try (StreamReader reader = StreamReader.open(file)) {
            return reader.manifest();
        }
    }
}
