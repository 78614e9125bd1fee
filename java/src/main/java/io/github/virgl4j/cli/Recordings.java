package io.github.virgl4j.cli;

import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.stream.StreamFormat;
import io.github.virgl4j.stream.StreamManifest;
import io.github.virgl4j.stream.StreamRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The {@code --record=FILE} option of the serving commands: one stream per device that got
 * requests, the first to FILE, the n-th after it to FILE-n.vgs (a device that was never used
 * writes nothing and takes no name).
 */
final class Recordings {
    private final Path file;
    private final Renderer renderer;
    private final String label;
    private StreamRecorder last;
    private int used;

    Recordings(Path file, Renderer renderer, String label) {
        this.file = file;
        this.renderer = renderer;
        this.label = label;
    }

    /** A recorder for the next device, which has this configuration. */
    synchronized StreamRecorder next(GpuConfig config) {
        if (last != null && last.requests() > 0) {
            used++;
        }
        Path target = used == 0 ? file : sibling(used);
        try {
            last = StreamRecorder.create(target, config, renderer.info(), new StreamManifest.Source(null, label));
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record to " + target + ": " + e.getMessage(), e);
        }
    }

    private Path sibling(int n) {
        return file.resolveSibling(StreamFormat.baseName(file) + "-" + n + StreamFormat.EXTENSION);
    }
}
