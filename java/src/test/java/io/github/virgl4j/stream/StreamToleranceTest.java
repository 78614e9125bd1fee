package io.github.virgl4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.Frame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On the Mesa a stream was recorded with, only exact hashes pass; on another, a differing frame
 * passes when it is within the PSNR tolerance of the stream's reference image.
 */
class StreamToleranceTest extends RecordedSceneTest {

    private static final byte[] OTHER_HASH = new byte[32];

    /** Frame 0's expected hash changed (as another Mesa would render it); optionally another host. */
    private static Path variant(String name, boolean otherHost, byte[] reference0) throws IOException {
        Path out = dir.resolve(name);
        StreamRewriter.rewrite(file, out, m -> {
            List<StreamManifest.ExpectedFrame> frames = new ArrayList<>(m.frames());
            StreamManifest.ExpectedFrame f = frames.get(0);
            frames.set(0, new StreamManifest.ExpectedFrame(f.index(), f.kind(), f.sourceId(), f.width(), f.height(),
                    java.util.HexFormat.of().formatHex(OTHER_HASH), f.reference()));
            StreamManifest.Host h = m.recordedOn();
            StreamManifest.Host host = otherHost
                    ? new StreamManifest.Host(h.virgl4j(), h.backend(), h.glRenderer(), "4.5 (Core Profile) Mesa 99.0", h.virglrenderer())
                    : h;
            return new StreamManifest(m.formatVersion(), m.createdAt(), m.source(), host, m.device(), m.counts(), frames);
        }, r -> r instanceof StreamRecord.Frame f && f.index() == 0
                ? new StreamRecord.Frame(0, f.kind(), f.sourceId(), f.width(), f.height(), OTHER_HASH,
                        reference0 == null ? f.png() : reference0)
                : r);
        return out;
    }

    private static byte[] shiftedReference(int delta) throws IOException {
        try (StreamReader r = StreamReader.open(file)) {
            StreamRecord x;
            while ((x = r.next()) != null) {
                if (x instanceof StreamRecord.Frame f && f.index() == 0) {
                    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(f.png()));
                    int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
                    for (int i = 0; i < px.length; i++) {
                        px[i] = 0xff000000 | Math.min(255, (px[i] >> 16 & 0xff) + delta) << 16 | px[i] & 0xffff;
                    }
                    return new Frame(0, 0, img.getWidth(), img.getHeight(), px).toPng();
                }
            }
        }
        throw new AssertionError("no frame 0");
    }

    @Test
    void onTheRecordingMesaADifferentHashFails() throws IOException {
        ReplayReport r = StreamReplayer.replay(variant("same-host.vgs", false, null), renderer, StreamReplayer.Options.defaults());
        assertTrue(r.exactHost());
        assertEquals(FrameResult.Status.DIFFERENT, r.frames().get(0).status());
        assertFalse(r.passed());
    }

    @Test
    void onAnotherMesaAFrameWithinTheToleranceOfItsReferencePasses() throws IOException {
        ReplayReport r = StreamReplayer.replay(variant("other-host.vgs", true, shiftedReference(2)), renderer,
                StreamReplayer.Options.defaults());
        assertFalse(r.exactHost());
        FrameResult f = r.frames().get(0);
        assertEquals(FrameResult.Status.TOLERATED, f.status());
        assertEquals(2, f.maxChannelDelta());
        assertTrue(f.psnr() > 40 && f.psnr() < 60, "psnr " + f.psnr());
        assertTrue(r.passed());
    }

    @Test
    void onAnotherMesaAFrameBeyondTheToleranceFails() throws IOException {
        Path p = variant("other-host-far.vgs", true, shiftedReference(90));
        ReplayReport r = StreamReplayer.replay(p, renderer, StreamReplayer.Options.defaults());
        assertEquals(FrameResult.Status.DIFFERENT, r.frames().get(0).status());
        assertEquals(90, r.frames().get(0).maxChannelDelta());
        assertFalse(r.passed());
        ReplayReport lax = StreamReplayer.replay(p, renderer, StreamReplayer.Options.defaults().withMinPsnr(5));
        assertEquals(FrameResult.Status.TOLERATED, lax.frames().get(0).status());
    }
}
