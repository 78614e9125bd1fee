package io.github.virgl4j.stream;

import io.github.virgl4j.device.CommandTap;
import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.protocol.DecodeResult;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandDecoder;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuCommandType;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.GpuResponseType;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.renderer.Renderer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One replay of one stream (see {@link StreamReplayer}). Single-threaded. */
final class ReplayRun {
    private static final int MAX_OUTSTANDING_FENCES = 64;
    private static final int MAX_DESCRIBED_MISMATCHES = 10;
    private static final long FENCE_TIMEOUT_SECONDS = 60;

    private final Path file;
    private final StreamReader reader;
    private final StreamManifest manifest;
    private final StreamReplayer.Options options;
    private final ReplayMemory memory = new ReplayMemory();
    private final FrameCapture capture = new FrameCapture();
    private final VirtioGpu gpu;
    private final StreamManifest.Host host;
    private final boolean exactHost;
    private final List<StreamRecord.Backing> pending = new ArrayList<>();
    private final ArrayDeque<CapturedFrame> produced = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<ByteBuffer>> fences = new ArrayDeque<>();
    private final List<FrameResult> results = new ArrayList<>();
    private final List<String> mismatches = new ArrayList<>();
    private long mismatchCount;
    private long requests;
    private long bytes;
    private GpuCommand current;
    private GpuResponse actual;
    private CapturedFrame lastFrame;
    private StreamRecord.Entries entries;

    ReplayRun(Path file, StreamReader reader, Renderer renderer, StreamReplayer.Options options) {
        this.file = file;
        this.reader = reader;
        this.manifest = reader.manifest();
        this.options = options;
        StreamManifest.Device d = manifest.device();
        GpuConfig config = GpuConfig.defaults();
        if (d != null) {
            config = config.withScanouts(d.scanouts()).withSize(d.width(), d.height()).withBlob(d.blob());
            if (d.limits() != null) {
                config = config.withLimits(d.limits());
            }
        }
        this.host = StreamRecorder.host(renderer == null ? null : renderer.info());
        this.exactHost = manifest.recordedOn() != null && manifest.recordedOn().sameRendering(host);
        this.gpu = VirtioGpu.builder(memory.memory()).renderer(renderer).config(config).name("replay")
                .tap(new Tap()).build();
    }

    /** The replay device's tap: frames and executed responses. */
    private final class Tap implements CommandTap {
        @Override
        public void request(ByteBuffer request) {
        }

        @Override
        public void backingRead(int resourceId, long offset, ByteBuffer bytes) {
        }

        @Override
        public void backingWritten(int resourceId, long offset, ByteBuffer bytes) {
            capture.backingWritten(resourceId, bytes);
        }

        @Override
        public void frame(io.github.virgl4j.device.Frame frame) {
            capture.scanout(frame);
        }

        @Override
        public void responded(GpuResponse response) {
            actual = response;
            capture.responded(current, response);
        }
    }

    ReplayReport run() throws IOException {
        long start = System.nanoTime();
        try {
            StreamRecord r;
            while ((r = reader.next()) != null) {
                long at = reader.position() - 1;
                if (r instanceof StreamRecord.Backing b) {
                    pending.add(b);
                    bytes += b.bytes().length;
                } else if (r instanceof StreamRecord.Request q) {
                    request(at, q);
                } else if (r instanceof StreamRecord.Frame f) {
                    frame(at, f);
                } else if (r instanceof StreamRecord.Reference ref) {
                    reference(ref);
                } else if (r instanceof StreamRecord.Entries e) {
                    entries = e;
                } else if (r instanceof StreamRecord.Reset) {
                    drainFences();
                    gpu.reset();
                    memory.clear();
                    capture.reset();
                    pending.clear();
                }
                if ((at & 255) == 0) {
                    options.progress().accept(at);
                }
            }
            drainFences();
            for (CapturedFrame extra : produced) {
                results.add(new FrameResult(results.size(), extra.kind(), extra.sourceId(), extra.frame().width(),
                        extra.frame().height(), null, extra.frame().sha256(), FrameResult.Status.EXTRA, null, null,
                        null));
            }
            options.progress().accept(reader.position());
        } finally {
            gpu.close();
        }
        return new ReplayReport(file.toString(), manifest, host, exactHost, results, reader.position(), requests, bytes,
                mismatches, mismatchCount, System.nanoTime() - start);
    }

    private StreamFormatException bad(long at, String tag, String what) {
        return new StreamFormatException(file + ": record " + at + " (" + tag + "): " + what, at);
    }

    private void request(long at, StreamRecord.Request q) throws IOException {
        ByteBuffer request = ByteBuffer.wrap(q.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        DecodeResult decoded = GpuCommandDecoder.decode(request.duplicate());
        GpuCommand c = decoded instanceof DecodeResult.Decoded ok ? ok.command() : null;
        GpuCommand moved = GpuResponseType.isError(q.responseType()) ? refusedBacking(c) : moveBacking(at, c);
        if (moved != c) {
            request = GpuCommandEncoder.encode(moved);
            c = moved;
        }
        for (StreamRecord.Backing b : pending) {
            if (!memory.write(b.resourceId(), b.offset(), b.bytes())) {
                throw bad(at, "REQUEST", b.bytes().length + " recorded bytes at offset " + b.offset()
                        + " do not fit the backing of resource " + Integer.toUnsignedString(b.resourceId()));
            }
        }
        pending.clear();
        bytes += q.bytes().length;
        requests++;
        current = c;
        actual = null;
        capture.request(c);
        CompletableFuture<ByteBuffer> done = gpu.submit(request);
        GpuResponse got = actual != null ? actual : GpuResponse.Err.UNSPEC;
        if (got.type() != q.responseType()) {
            mismatchCount++;
            if (mismatches.size() < MAX_DESCRIBED_MISMATCHES) {
                mismatches.add("record " + at + ": " + (c == null ? "malformed request" : GpuCommandType.name(c.commandType()))
                        + " was answered 0x" + Integer.toHexString(got.type()) + ", recorded 0x"
                        + Integer.toHexString(q.responseType()));
            }
        }
        if (got.isOk()) {
            if (c instanceof GpuCommand.ResourceDetachBacking d) {
                memory.detach(d.resourceId());
            } else if (c instanceof GpuCommand.ResourceUnref u) {
                memory.detach(u.resourceId());
            }
        }
        memory.dropScratch();
        entries = null; // an ENTRIES record is about the one request after it
        produced.addAll(capture.take());
        if (!done.isDone()) {
            fences.add(done);
            if (fences.size() > MAX_OUTSTANDING_FENCES) {
                await(fences.poll());
            }
        }
    }

    /**
     * A backing that was attached when recorded gets a fresh replay region; the command is
     * rewritten to name it. Other commands come back as they are.
     */
    private GpuCommand moveBacking(long at, GpuCommand c) throws StreamFormatException {
        ReplayMemory.Backed backed = ReplayMemory.Backed.of(c);
        return backed == null ? c : backed.with(moved(at, backed.resourceId(), backed.entries()));
    }

    /**
     * A request that was refused when recorded, with the ENTRIES record that preceded it: its
     * entries point into scratch memory where they lay in guest memory then, elsewhere outside.
     */
    private GpuCommand refusedBacking(GpuCommand c) {
        StreamRecord.Entries e = entries; // cleared after the request, like every ENTRIES record
        ReplayMemory.Backed backed = ReplayMemory.Backed.of(c);
        if (e == null || backed == null || e.inside().length != backed.entries().size()) {
            return c;
        }
        return backed.with(memory.scratch(backed.entries(), e.inside()));
    }

    private List<MemEntry> moved(long at, int resourceId, List<MemEntry> entries) throws StreamFormatException {
        List<MemEntry> moved = memory.attach(resourceId, entries);
        if (moved == null) {
            throw bad(at, "REQUEST", "a backing of " + ReplayMemory.totalLength(entries) + " bytes is too large to replay");
        }
        return moved;
    }

    private void frame(long at, StreamRecord.Frame f) throws IOException {
        String expected = HexFormat.of().formatHex(f.sha256());
        List<StreamManifest.ExpectedFrame> listed = manifest.frames();
        if (f.index() != results.size()) {
            throw bad(at, "FRAME", "frame " + f.index() + " where frame " + results.size() + " was due");
        }
        if (f.index() < listed.size() && !listed.get(f.index()).sha256().equals(expected)) {
            throw bad(at, "FRAME", "frame " + f.index() + "'s hash differs from the manifest's");
        }
        CapturedFrame got = produced.poll();
        if (got == null) {
            results.add(new FrameResult(f.index(), f.kind(), f.sourceId(), f.width(), f.height(), expected, null,
                    FrameResult.Status.MISSING, null, null, null));
            lastFrame = null;
            return;
        }
        String sha = got.frame().sha256();
        FrameResult.Status status;
        FrameComparison cmp = null;
        if (sha.equals(expected)) {
            status = FrameResult.Status.MATCH;
        } else if (f.png().length > 0) {
            cmp = FrameComparison.of(got.frame(), f.png());
            status = tolerated(cmp) ? FrameResult.Status.TOLERATED : FrameResult.Status.DIFFERENT;
        } else {
            status = exactHost ? FrameResult.Status.DIFFERENT : FrameResult.Status.UNVERIFIED;
        }
        String png = null;
        if (options.pngDir() != null) {
            Path out = options.pngDir().resolve(streamName()).resolve(String.format("frame-%05d.png", f.index()));
            got.frame().writePng(out);
            png = out.toString();
        }
        results.add(new FrameResult(f.index(), got.kind(), got.sourceId(), got.frame().width(), got.frame().height(),
                expected, sha, status, cmp == null ? null : cmp.psnr(), cmp == null ? null : cmp.maxChannelDelta(), png));
        lastFrame = got;
    }

    /** Another host's frame passes at the PSNR tolerance; on the recording host only exact hashes pass. */
    private boolean tolerated(FrameComparison cmp) {
        return !exactHost && cmp != null && cmp.psnr() >= options.minPsnr();
    }

    /** A reference image for the last frame (the stream's last), compared if its hash differed. */
    private void reference(StreamRecord.Reference ref) {
        int i = results.size() - 1;
        if (i < 0 || ref.index() != i || lastFrame == null) {
            return;
        }
        FrameResult r = results.get(i);
        if (r.status() == FrameResult.Status.UNVERIFIED || r.status() == FrameResult.Status.DIFFERENT && r.psnr() == null) {
            FrameComparison cmp = FrameComparison.of(lastFrame.frame(), ref.png());
            FrameResult.Status status = tolerated(cmp) ? FrameResult.Status.TOLERATED : FrameResult.Status.DIFFERENT;
            results.set(i, new FrameResult(r.index(), r.kind(), r.sourceId(), r.width(), r.height(), r.expectedSha256(),
                    r.actualSha256(), status, cmp == null ? null : cmp.psnr(),
                    cmp == null ? null : cmp.maxChannelDelta(), r.png()));
        }
    }

    private String streamName() {
        return StreamFormat.baseName(file);
    }

    private void drainFences() throws IOException {
        while (!fences.isEmpty()) {
            await(fences.poll());
        }
    }

    private void await(CompletableFuture<ByteBuffer> fence) throws IOException {
        try {
            fence.get(FENCE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException(file + ": a fence did not retire within " + FENCE_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new IOException(file + ": a fence failed: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(file + ": interrupted", e);
        }
    }
}
