package io.github.virgl4j.transport.vhostuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuCommandType;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.device.protocol.VirtioGpuFormat;
import io.github.virgl4j.device.virtqueue.DriverSideQueue;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path as QEMU 10 drives it, over real sockets and memfd-backed guest RAM: setup
 * sequence, a request in the controlq answered in the used ring after a kick, scanout output on
 * the display socket, and ring stop with GET_VRING_BASE.
 */
class VhostUserSessionTest {
    static Renderer renderer;

    @BeforeAll
    static void open() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @AfterAll
    static void shut() {
        renderer.close();
    }

    static byte[] bytes(GpuCommand c) {
        ByteBuffer b = GpuCommandEncoder.encode(c);
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void setupSequenceThenDisplayInfoFromTheControlqIsSizedByQemu() throws Exception {
        try (QemuSession s = new QemuSession(renderer, DisplayInfo.single(800, 600))) {
            s.setUp();
            // VIRGL, EDID, RESOURCE_UUID, RESOURCE_BLOB, CONTEXT_INIT, INDIRECT_DESC, EVENT_IDX,
            // PROTOCOL_FEATURES, VERSION_1
            assertEquals(0x1_7000_001fL, s.offeredFeatures);
            ByteBuffer cfg = s.getConfig();
            assertEquals(0, cfg.getInt(12));   // events_read
            assertEquals(1, cfg.getInt(20));   // num_scanouts
            assertEquals(2, cfg.getInt(24));   // num_capsets: VIRGL and VIRGL2

            DriverSideQueue ctrl = s.queues[0];
            DriverSideQueue.Chain c = ctrl.addChain(List.of(bytes(new GpuCommand.GetDisplayInfo(
                    CtrlHeader.of(GpuCommandType.GET_DISPLAY_INFO)))), 408);
            s.kickAndWait(0, 1);
            assertArrayEquals(new int[] {c.head(), 408}, ctrl.usedElem(0));
            ByteBuffer r = le(ctrl.read(c.writableAddrs().get(0), 408));
            assertEquals(0x1101, r.getInt(0));           // OK_DISPLAY_INFO
            assertEquals(800, r.getInt(24 + 8));         // pmodes[0].r.width from QEMU's answer
            assertEquals(600, r.getInt(24 + 12));
            assertEquals(1, r.getInt(24 + 16));          // enabled
            assertEquals(0, r.getInt(24 + 24 + 16));     // pmodes[1] disabled

            assertEquals(1L, s.qemuDisplay.setProtocolFeatures);  // EDID only: no dmabuf here
            assertEquals(1, s.stopRing(0));
            assertEquals(0, s.stopRing(1));
            SessionEnd end = s.hangUp();
            assertEquals(SessionEnd.Kind.DISCONNECTED, end.kind());
            assertEquals(1, end.kind().exitStatus());
        }
    }

    @Test
    void flushedScanoutReachesQemuAsScanoutThenUpdatePixels() throws Exception {
        try (QemuSession s = new QemuSession(renderer, DisplayInfo.single(1024, 768))) {
            s.setUp();
            DriverSideQueue ctrl = s.queues[0];
            int b8g8r8x8 = VirtioGpuFormat.B8G8R8X8_UNORM.code();
            int w = 32;
            int h = 16;
            byte[] px = new byte[w * h * 4];
            for (int i = 0; i < w * h; i++) {
                px[i * 4] = (byte) 0x30;     // B
                px[i * 4 + 1] = (byte) 0x20; // G
                px[i * 4 + 2] = (byte) 0x10; // R
            }
            long backing = ctrl.putData(px);
            Rect all = new Rect(0, 0, w, h);
            List<GpuCommand> cmds = List.of(
                    new GpuCommand.ResourceCreate2d(CtrlHeader.of(GpuCommandType.RESOURCE_CREATE_2D), 7, b8g8r8x8, w, h),
                    new GpuCommand.ResourceAttachBacking(CtrlHeader.of(GpuCommandType.RESOURCE_ATTACH_BACKING), 7,
                            List.of(new MemEntry(backing, px.length))),
                    new GpuCommand.TransferToHost2d(CtrlHeader.of(GpuCommandType.TRANSFER_TO_HOST_2D), all, 0, 7),
                    new GpuCommand.SetScanout(CtrlHeader.of(GpuCommandType.SET_SCANOUT), all, 0, 7),
                    new GpuCommand.ResourceFlush(CtrlHeader.of(GpuCommandType.RESOURCE_FLUSH), all, 7));
            int used = 0;
            for (GpuCommand cmd : cmds) {
                DriverSideQueue.Chain c = ctrl.addChain(List.of(bytes(cmd)), 24);
                s.kickAndWait(0, ++used);
                assertEquals(0x1100, le(ctrl.read(c.writableAddrs().get(0), 24)).getInt(0), cmd.toString());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (s.qemuDisplay.of(VhostGpuRequest.UPDATE).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            List<RawMessage> scanouts = s.qemuDisplay.of(VhostGpuRequest.SCANOUT);
            assertEquals(1, scanouts.size());
            ByteBuffer so = scanouts.get(0).payload().order(ByteOrder.nativeOrder());
            assertEquals(12, so.remaining());
            assertEquals(0, so.getInt(0));
            assertEquals(w, so.getInt(4));
            assertEquals(h, so.getInt(8));
            List<RawMessage> updates = s.qemuDisplay.of(VhostGpuRequest.UPDATE);
            assertFalse(updates.isEmpty());
            ByteBuffer up = updates.get(0).payload().order(ByteOrder.nativeOrder());
            assertEquals(20 + w * h * 4, up.remaining());
            assertArrayEquals(new int[] {0, 0, 0, w, h}, new int[] {up.getInt(0), up.getInt(4), up.getInt(8),
                    up.getInt(12), up.getInt(16)});
            assertEquals(0x102030, up.getInt(20) & 0xffffff);   // x8r8g8b8: R 0x10, G 0x20, B 0x30
            assertEquals(0x102030, up.getInt(20 + (w * h - 1) * 4) & 0xffffff);
            // The scanout message precedes the update on the socket.
            assertTrue(s.qemuDisplay.received.indexOf(scanouts.get(0)) < s.qemuDisplay.received.indexOf(updates.get(0)));
        }
    }

    @Test
    void afterAStopTheDeviceIsResetAndResizedByTheNextDisplaySocket() throws Exception {
        try (QemuSession s = new QemuSession(renderer, DisplayInfo.single(800, 600));
             FakeQemuDisplay second = new FakeQemuDisplay(DisplayInfo.single(640, 480))) {
            s.setUp();
            DriverSideQueue ctrl = s.queues[0];
            byte[] create = bytes(new GpuCommand.ResourceCreate2d(CtrlHeader.of(GpuCommandType.RESOURCE_CREATE_2D), 5,
                    VirtioGpuFormat.B8G8R8X8_UNORM.code(), 16, 16));
            DriverSideQueue.Chain c1 = ctrl.addChain(List.of(create), 24);
            s.kickAndWait(0, 1);
            assertEquals(0x1100, le(ctrl.read(c1.writableAddrs().get(0), 24)).getInt(0));
            assertEquals(1, s.backend.device().metrics().resources());

            assertEquals(1, s.stopRing(0));
            assertEquals(0, s.stopRing(1));
            assertEquals(0, s.backend.device().metrics().resources());   // reset with the last ring
            s.restart(second, 1, 0);

            // Resource id 5 is free again, and display info follows the new socket's answer.
            DriverSideQueue.Chain c2 = ctrl.addChain(List.of(create), 24);
            DriverSideQueue.Chain c3 = ctrl.addChain(List.of(bytes(new GpuCommand.GetDisplayInfo(
                    CtrlHeader.of(GpuCommandType.GET_DISPLAY_INFO)))), 408);
            s.kickAndWait(0, 3);
            assertEquals(0x1100, le(ctrl.read(c2.writableAddrs().get(0), 24)).getInt(0));
            ByteBuffer r = le(ctrl.read(c3.writableAddrs().get(0), 408));
            assertEquals(0x1101, r.getInt(0));
            assertEquals(640, r.getInt(24 + 8));
            assertEquals(480, r.getInt(24 + 12));
            assertEquals(3, s.stopRing(0));
        }
    }
}
