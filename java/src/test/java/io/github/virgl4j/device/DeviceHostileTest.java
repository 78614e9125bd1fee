package io.github.virgl4j.device;

import static io.github.virgl4j.device.GuestHarness.ctx;
import static io.github.virgl4j.device.GuestHarness.hdr;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_DISPLAY_INFO;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_NODATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.GpuResponseType;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A hostile guest: mutated and random requests against a device with live resources on the
 * real renderer. Every request must get a well-formed response (OK or an error code) and the
 * device must go on serving. Seeded, so a failure reproduces.
 */
class DeviceHostileTest {

    private static List<ByteBuffer> validRequests(GuestHarness g) {
        long backing = g.alloc(64 * 64 * 4);
        List<GpuCommand> cmds = List.of(
                new GpuCommand.GetDisplayInfo(hdr()),
                new GpuCommand.CtxCreate(ctx(1), 0, "fuzz"),
                Device3dTest.texture(10, VirglCommands.FORMAT_R8G8B8A8_UNORM, 64, 64),
                new GpuCommand.ResourceCreate2d(hdr(), 11, 2, 64, 64),
                new GpuCommand.ResourceAttachBacking(hdr(), 10, List.of(new MemEntry(backing, 64 * 64 * 4))),
                new GpuCommand.ResourceAttachBacking(hdr(), 11, List.of(new MemEntry(backing, 64 * 64 * 4))),
                new GpuCommand.CtxAttachResource(ctx(1), 10),
                new GpuCommand.Submit3d(ctx(1), new VirglCommands().createSurface(1, 10, 67).setFramebuffer(1)
                        .clearColor(1, 1, 0, 1).build()),
                new GpuCommand.TransferToHost3d(ctx(1), new Box3d(0, 0, 0, 64, 64, 1), 0, 10, 0, 256, 0),
                new GpuCommand.TransferFromHost3d(ctx(1), new Box3d(0, 0, 0, 64, 64, 1), 0, 10, 0, 256, 0),
                new GpuCommand.TransferToHost2d(hdr(), new Rect(0, 0, 64, 64), 0, 11),
                new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 64, 64), 0, 11),
                new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 64, 64), 11),
                new GpuCommand.GetCapsetInfo(hdr(), 1),
                new GpuCommand.GetCapset(hdr(), 2, 2),
                new GpuCommand.GetEdid(hdr(), 0),
                new GpuCommand.ResourceAssignUuid(hdr(), 11));
        List<ByteBuffer> out = new ArrayList<>();
        for (GpuCommand c : cmds) {
            out.add(GpuCommandEncoder.encode(c));
        }
        return out;
    }

    @Test
    void tenThousandMutatedRequestsAllGetResponsesAndTheDeviceKeepsServing() {
        Random rnd = new Random(20261123);
        try (GuestHarness g = new GuestHarness(Renderer.open(RendererOptions.llvmpipe()))) {
            List<ByteBuffer> valid = validRequests(g);
            for (ByteBuffer v : valid) {
                g.gpu.handle(v.duplicate());
            }
            int ok = 0;
            int errors = 0;
            for (int i = 0; i < 10_000; i++) {
                ByteBuffer req = mutate(rnd, valid.get(rnd.nextInt(valid.size())));
                GpuResponse r = GpuResponse.decode(g.gpu.handle(req));
                if (r.isOk()) {
                    ok++;
                } else {
                    errors++;
                    assertTrue(GpuResponseType.isError(r.type()));
                }
            }
            assertTrue(ok > 100 && errors > 1000, "ok=" + ok + " errors=" + errors);
            assertEquals(OK_DISPLAY_INFO, g.code(new GpuCommand.GetDisplayInfo(hdr())));
            assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceCreate2d(hdr(), 999_999, 2, 8, 8)));
        }
    }

    /** Flips bytes, truncates, extends, or replaces with noise; header type mostly kept. */
    static ByteBuffer mutate(Random rnd, ByteBuffer valid) {
        byte[] b = new byte[valid.remaining()];
        valid.duplicate().get(b);
        switch (rnd.nextInt(5)) {
            case 0 -> {
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2 -> {
                byte[] longer = java.util.Arrays.copyOf(b, b.length + rnd.nextInt(64));
                for (int k = b.length; k < longer.length; k++) {
                    longer[k] = (byte) rnd.nextInt(256);
                }
                b = longer;
            }
            case 3 -> { // a field of the body set to an extreme value
                if (b.length >= 28) {
                    int at = 24 + 4 * rnd.nextInt((b.length - 24) / 4);
                    int v = new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30}[rnd.nextInt(5)];
                    ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(at, v);
                }
            }
            default -> {
                for (int k = 24; k < b.length; k++) {
                    b[k] = (byte) rnd.nextInt(256);
                }
            }
        }
        return ByteBuffer.wrap(b);
    }
}
