package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.device.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Writes scanout frames as PNG files ({@code scanout<id>-<sequence>.png}) for inspection: a
 * {@link DisplayListener} that hands the newest frame to its own thread (frames arriving while
 * one is being encoded replace each other), and stops after {@code maxFiles} files. The file
 * {@code scanout<id>-last.png} is refreshed with every written frame.
 */
public final class FrameDumper implements DisplayListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FrameDumper.class.getName());

    private final Path dir;
    private final int maxFiles;
    private final AtomicReference<Frame> next = new AtomicReference<>();
    private final AtomicInteger written = new AtomicInteger();
    private final Thread thread;
    private final Object signal = new Object();
    private volatile boolean closed;

    public FrameDumper(Path dir, int maxFiles) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxFiles = maxFiles;
        this.thread = new Thread(this::loop, "frame-dumper");
        thread.setDaemon(true);
        thread.start();
    }

    /** Files written so far (not counting the "-last" copies). */
    public int written() {
        return written.get();
    }

    @Override
    public void onFrame(Frame frame) {
        if (!closed && written.get() < maxFiles) {
            next.set(frame);
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    private void loop() {
        while (true) {
            Frame f;
            synchronized (signal) {
                while ((f = next.getAndSet(null)) == null && !closed) {
                    try {
                        signal.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (f == null) {
                return;
            }
            write(f);
        }
    }

    private void write(Frame f) {
        if (written.get() >= maxFiles) {
            return;
        }
        try {
            Path file = dir.resolve(String.format("scanout%d-%06d.png", f.scanoutId(), f.sequence()));
            f.writePng(file);
            Files.copy(file, dir.resolve("scanout" + f.scanoutId() + "-last.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            written.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            LOG.warning("frame " + f.sequence() + " not written: " + e);
        }
    }

    /** Writes the pending frame, if any, then stops. */
    @Override
    public void close() {
        closed = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
