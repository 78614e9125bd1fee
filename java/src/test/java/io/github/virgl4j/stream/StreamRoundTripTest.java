package io.github.virgl4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.virgl4j.device.Frame;
import io.github.virgl4j.device.protocol.GpuResponseType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A session recorded through the device API replays bit for bit, here and in another JVM. */
class StreamRoundTripTest extends RecordedSceneTest {

    @Test
    void theLiveSessionWorked() {
        assertTrue(live.responses.stream().allMatch(t -> !GpuResponseType.isError(t)), live.responses.toString());
        // SET_SCANOUT + FLUSH of the console, SET_SCANOUT of the target, SET_SCANOUT_BLOB + FLUSH
        assertEquals(5, live.liveFrames.size());
        Frame shown = live.liveFrames.get(2);
        assertEquals(0xffff0000 | 10 * 4, shown.pixel(10, 3), "uploaded row");          // in-stream upload
        assertEquals(0xff3399ff, shown.pixel(10, 40), "cleared pixel");                 // 0.2, 0.6, 1.0
        Frame blob = live.liveFrames.get(4);
        assertEquals(0xff00ff00, blob.pixel(5, 24), "redrawn blob row");
        assertEquals(0xff000000 | 5 << 18 | 30 << 3, blob.pixel(5, 30), "blob pattern");
    }

    @Test
    void theManifestDescribesTheRecording() throws IOException {
        StreamManifest m = StreamReplayer.manifest(file);
        assertEquals(StreamFormat.VERSION, m.formatVersion());
        assertEquals("RecordedScene", m.source().program());
        assertEquals("llvmpipe", m.recordedOn().backend());
        assertEquals(new StreamManifest.Device(1, 320, 240, true, io.github.virgl4j.device.GpuLimits.defaults()), m.device());
        assertEquals(live.responses.size(), m.counts().requests());
        // the 5 scanout frames and the readback (TRANSFER_FROM_HOST_3D of the display target)
        assertEquals(List.of(FrameKind.SCANOUT, FrameKind.SCANOUT, FrameKind.READBACK, FrameKind.SCANOUT,
                FrameKind.SCANOUT, FrameKind.SCANOUT), m.frames().stream().map(StreamManifest.ExpectedFrame::kind).toList());
        // the partial 2D update stores only the changed bytes (the 8×32 "text" pixels), not its 8
        // whole rows again; bytes equal to what the replay's memory already holds are left out too
        // (the blob: its whole picture at SET_SCANOUT_BLOB, then only the redrawn rows at FLUSH)
        long changed = 64 * 48 * 4 + 8 * 32 * 4 + 64 * 16 * 4 + 64 * 48 * 4 + 8 * 64 * 4;
        assertTrue(m.counts().backingBytes() <= changed && m.counts().backingBytes() > changed - 256,
                m.counts().backingBytes() + " guest bytes recorded");
        assertTrue(m.frames().get(0).reference() && m.frames().get(5).reference(), "first and last have references");
    }

    @Test
    void replayReproducesEveryFrameBitForBit() throws IOException {
        ReplayReport r = StreamReplayer.replay(file, renderer, StreamReplayer.Options.defaults().withPngDir(dir.resolve("png")));
        assertTrue(r.passed(), r.toString());
        assertTrue(r.exactHost());
        assertEquals(6, r.frames().size());
        assertEquals(6, r.count(FrameResult.Status.MATCH));
        List<String> liveScanouts = live.liveFrames.stream().map(Frame::sha256).toList();
        List<String> replayedScanouts = r.frames().stream().filter(f -> f.kind() == FrameKind.SCANOUT)
                .map(FrameResult::actualSha256).toList();
        assertEquals(liveScanouts, replayedScanouts);
        assertTrue(Files.size(dir.resolve("png/scene/frame-00005.png")) > 100);
        assertEquals(0, r.responseMismatchCount(), r.responseMismatches().toString());
    }

    @Test
    void anotherJvmReplaysTheSameHashes() throws Exception {
        ReplayReport here = StreamReplayer.replay(file, renderer, StreamReplayer.Options.defaults());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.addAll(List.of("io.github.virgl4j.cli.Main", "replay", "--json", "--check", "--backend=llvmpipe", file.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        JsonNode frames = new ObjectMapper().readTree(out).get(0).get("frames");
        List<String> there = new ArrayList<>();
        frames.forEach(f -> there.add(f.get("actualSha256").asText()));
        assertEquals(here.frames().stream().map(FrameResult::actualSha256).toList(), there);
        assertEquals(StreamReplayer.manifest(file).frames().stream().map(StreamManifest.ExpectedFrame::sha256).toList(),
                there);
    }
}
