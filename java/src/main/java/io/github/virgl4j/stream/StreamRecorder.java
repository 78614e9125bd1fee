package io.github.virgl4j.stream;

import io.github.virgl4j.device.CommandTap;
import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.GuestMemory;
import io.github.virgl4j.device.protocol.DecodeResult;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandDecoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.renderer.RendererInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records what one device is fed into a stream file (see {@link StreamFormat}): every request,
 * the guest bytes each one read (only those that changed since they were last recorded), and
 * each frame it produced with its hash, plus a reference image every {@code referenceEvery}
 * frames and for the last one. The file appears, complete, when the device is closed (or
 * {@link #finish} is called).
 *
 * <pre>{@code
 * StreamRecorder rec = StreamRecorder.create(Path.of("run.vgs"), config, renderer.info(),
 *         new StreamManifest.Source("my-guest", "boot to desktop"));
 * VirtioGpu gpu = rec.attach(VirtioGpu.builder(memory).renderer(renderer).config(config)).build();
 * ...                                  // gpu.close() finishes the file
 * }</pre>
 *
 * <p>Recording never disturbs the device: an I/O failure is logged once and the recording is
 * abandoned (no file), the guest is served as before.
 */
public final class StreamRecorder implements CommandTap {
    private static final Logger LOG = Logger.getLogger(StreamRecorder.class.getName());
    /** Resources whose backing is larger are recorded whole on every read, without a shadow copy. */
    private static final long MAX_SHADOW_BYTES = 256L << 20;
    /** Changed runs closer than this are written as one. */
    private static final int MERGE_GAP = 64;

    private record Pending(int resourceId, long offset, byte[] bytes, int from, int length) {
    }

    private final Path file;
    private GpuConfig config;
    private GuestMemory memory;
    private final StreamManifest.Host host;
    private StreamManifest.Source source;
    private final int referenceEvery;
    private final FrameCapture capture;
    private final StreamWriter writer;
    private final Map<Integer, byte[]> shadows = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<StreamManifest.ExpectedFrame> frames = new ArrayList<>();
    private byte[] request;
    private GpuCommand command;
    /** Which entries of the current request's scatter-gather list lie in guest memory, or null. */
    private boolean[] inside;
    private CapturedFrame lastUnreferenced;
    private long requests;
    private long backingBytes;
    private boolean failed;
    private boolean finished;

    private StreamRecorder(Path file, GpuConfig config, RendererInfo info, StreamManifest.Source source,
                           int referenceEvery) throws IOException {
        this.file = file;
        this.config = config;
        this.host = host(info);
        this.source = source;
        this.referenceEvery = referenceEvery;
        this.capture = new FrameCapture();
        this.writer = new StreamWriter(file);
    }

    /**
     * @param config the configuration of the device that will be recorded, for {@link #attach}
     *               (the device's own, which it tells its tap, is what the manifest keeps)
     * @param info   the renderer's info (the expected hashes are this host's), or null without one
     * @param source what is being recorded; null (or a null program) to take the name of the
     *               guest's first context (a vtest client's program name)
     */
    public static StreamRecorder create(Path file, GpuConfig config, RendererInfo info, StreamManifest.Source source)
            throws IOException {
        return new StreamRecorder(file, config, info, source, 16);
    }

    /** Sets this recorder as the builder's tap, and the configuration it records. */
    public VirtioGpu.Builder attach(VirtioGpu.Builder builder) {
        return builder.config(config).tap(this);
    }

    /** Requests recorded so far. */
    public synchronized long requests() {
        return requests;
    }

    static StreamManifest.Host host(RendererInfo info) {
        if (info == null) {
            return new StreamManifest.Host(version(), "none", null, null, null);
        }
        String lib = info.libraryPath() == null ? null : Path.of(info.libraryPath()).getFileName().toString();
        return new StreamManifest.Host(version(), info.backend().id(), info.glRenderer(), info.glVersion(), lib);
    }

    static String version() {
        String v = StreamRecorder.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void deviceStarted(GpuConfig deviceConfig, GuestMemory deviceMemory) {
        this.config = deviceConfig; // the device's own: a replay builds the same
        this.memory = deviceMemory;
    }

    @Override
    public synchronized void deviceReset() {
        if (failed || finished) {
            return;
        }
        try {
            writer.reset();
        } catch (IOException e) {
            fail(e);
        }
        shadows.clear();
        capture.reset();
    }

    @Override
    public synchronized void request(ByteBuffer bytes) {
        if (failed || finished) {
            return;
        }
        request = new byte[bytes.remaining()];
        bytes.duplicate().get(request);
        DecodeResult d = GpuCommandDecoder.decode(ByteBuffer.wrap(request));
        command = d instanceof DecodeResult.Decoded ok ? ok.command() : null;
        capture.request(command);
        ReplayMemory.Backed backed = ReplayMemory.Backed.of(command);
        inside = backed == null ? null : new boolean[backed.entries().size()];
        for (int i = 0; inside != null && i < inside.length; i++) {
            MemEntry e = backed.entries().get(i);
            inside[i] = memory == null || memory.contains(e.addr(), Integer.toUnsignedLong(e.length()));
        }
        if ((source == null || source.program() == null) && command instanceof GpuCommand.CtxCreate c
                && !c.debugName().isEmpty()) {
            source = new StreamManifest.Source(c.debugText(), source == null ? null : source.description());
        }
    }

    @Override
    public synchronized void backingRead(int resourceId, long offset, ByteBuffer bytes) {
        if (failed || finished || request == null) {
            return;
        }
        byte[] data = new byte[bytes.remaining()];
        bytes.duplicate().get(data);
        byte[] shadow = shadows.get(resourceId);
        if (shadow == null || offset + data.length > shadow.length) {
            pending.add(new Pending(resourceId, offset, data, 0, data.length));
            return;
        }
        int at = (int) offset;
        int i = 0;
        while (i < data.length) {
            if (data[i] == shadow[at + i]) {
                i++;
                continue;
            }
            int start = i;
            int lastDiff = i;
            while (i < data.length && i - lastDiff <= MERGE_GAP) {
                if (data[i] != shadow[at + i]) {
                    lastDiff = i;
                }
                i++;
            }
            int end = lastDiff + 1;
            pending.add(new Pending(resourceId, offset + start, data, start, end - start));
            System.arraycopy(data, start, shadow, at + start, end - start);
            i = end;
        }
    }

    @Override
    public synchronized void backingWritten(int resourceId, long offset, ByteBuffer bytes) {
        if (failed || finished) {
            return;
        }
        byte[] shadow = shadows.get(resourceId);
        if (shadow != null && offset >= 0 && offset + bytes.remaining() <= shadow.length) {
            bytes.duplicate().get(shadow, (int) offset, bytes.remaining()); // a replay writes the same
        }
        capture.backingWritten(resourceId, bytes);
    }

    @Override
    public synchronized void frame(io.github.virgl4j.device.Frame frame) {
        if (!failed && !finished) {
            capture.scanout(frame);
        }
    }

    @Override
    public synchronized void responded(GpuResponse response) {
        if (failed || finished || request == null) {
            return;
        }
        try {
            for (Pending p : pending) {
                writer.backing(p.resourceId(), p.offset(), p.bytes(), p.from(), p.length());
                backingBytes += p.length();
            }
            if (inside != null && !response.isOk()) {
                writer.entries(inside); // a replay refuses it for the same reason
            }
            writer.request(response.type(), ByteBuffer.wrap(request));
            requests++;
            capture.responded(command, response);
            for (CapturedFrame f : capture.take()) {
                writeFrame(f);
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            pending.clear();
            request = null;
            inside = null;
        }
        if (response.isOk()) {
            track(command);
        }
        command = null;
    }

    /** Keeps the shadows in step with what a replay's memory holds: zeroed at each attach. */
    private void track(GpuCommand c) {
        ReplayMemory.Backed backed = ReplayMemory.Backed.of(c);
        if (backed != null) {
            shadow(backed.resourceId(), backed.entries());
        } else if (c instanceof GpuCommand.ResourceDetachBacking d) {
            shadows.remove(d.resourceId());
        } else if (c instanceof GpuCommand.ResourceUnref u) {
            shadows.remove(u.resourceId());
        }
    }

    private void shadow(int resourceId, List<MemEntry> entries) {
        long total = ReplayMemory.totalLength(entries);
        if (total <= MAX_SHADOW_BYTES) {
            shadows.put(resourceId, new byte[(int) total]);
        } else {
            shadows.remove(resourceId);
        }
    }

    private void writeFrame(CapturedFrame f) throws IOException {
        int index = frames.size();
        String sha = f.frame().sha256();
        boolean reference = index % referenceEvery == 0;
        writer.frame(index, f.kind(), f.sourceId(), f.frame().width(), f.frame().height(),
                HexFormat.of().parseHex(sha), reference ? f.frame().toPng() : new byte[0]);
        frames.add(new StreamManifest.ExpectedFrame(index, f.kind(), f.sourceId(), f.frame().width(),
                f.frame().height(), sha, reference));
        lastUnreferenced = reference ? null : f;
    }

    private void fail(IOException e) {
        LOG.log(Level.WARNING, "recording to " + file + " failed, abandoned: " + e.getMessage());
        failed = true;
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            writer.close();
        } catch (IOException ignored) {
            // the temporary file may stay; nothing else to do
        }
    }

    @Override
    public void deviceClosed() {
        finish();
    }

    /** Writes the file (once); true when it was written. Later requests are not recorded. */
    public synchronized boolean finish() {
        if (finished || failed) {
            return finished && !failed;
        }
        if (requests == 0) {
            LOG.fine(() -> "nothing was recorded for " + file + ": no file written");
            failed = true; // nothing to write; later calls do nothing
            closeQuietly();
            return false;
        }
        try {
            if (lastUnreferenced != null) {
                int index = frames.size() - 1;
                writer.reference(index, lastUnreferenced.frame().toPng());
                StreamManifest.ExpectedFrame e = frames.get(index);
                frames.set(index, new StreamManifest.ExpectedFrame(e.index(), e.kind(), e.sourceId(), e.width(),
                        e.height(), e.sha256(), true));
            }
            StreamManifest.Counts counts = new StreamManifest.Counts(writer.records() + 1, requests, backingBytes,
                    frames.size());
            writer.finish(new StreamManifest(StreamFormat.VERSION, Instant.now().toString(),
                    source == null ? new StreamManifest.Source("unknown", null) : source, host,
                    new StreamManifest.Device(config.scanouts(), config.width(), config.height(), config.offerBlob(),
                            config.limits()),
                    counts, frames));
            finished = true;
            LOG.info(() -> String.format("recorded %d requests, %d frames, %d guest bytes -> %s", requests,
                    frames.size(), backingBytes, file));
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }
}
