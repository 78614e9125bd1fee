package io.github.virgl4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.device.Frame;
import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.CtrlHeader;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A texture filled by COPY_TRANSFER3D from a staging buffer replays bit for bit. Mesa uploads
 * this way whenever the texture it writes is busy (virgl's staging path), so whether a glmark2
 * run takes it depends on timing. virglrenderer reads the staging buffer with the
 * <em>destination's</em> layout (check_iov_bounds of the texture: rows of w texels of its
 * format); a recorder that sizes the read by the buffer's own format (1-byte R8 "texels") keeps
 * only the first quarter of an RGBA texture's last row, and the replay then shows stale bytes
 * there (at the edges of a textured cube: the single-client residual of VtestRecordingTest).
 */
class StagedUploadReplayTest {
    static final long RAM = 0x1000_0000L;
    static final int W = 64;
    static final int H = 32;
    static final int STRIDE = W * 4 + 64; // Mesa pads staging rows; a pitch wider than the row
    static final int CTX = 1;
    static final int TEXTURE = 1;
    static final int STAGING = 2;
    static final long TEXTURE_BACKING = RAM;
    static final long STAGING_BACKING = RAM + 0x10_0000;
    /** RENDER_TARGET | SAMPLER_VIEW | DISPLAY_TARGET, and VIRGL_BIND_STAGING (virgl_hw.h). */
    static final int TEXTURE_BINDS = 1 << 1 | 1 << 3 | 1 << 7;
    static final int BIND_STAGING = 1 << 19;
    static final int FORMAT_R8_UNORM = 64;

    static Renderer renderer;
    static Path file;
    static final List<Frame> live = new ArrayList<>();
    static final List<Integer> responses = new ArrayList<>();

    @BeforeAll
    static void record() throws Exception {
        renderer = Renderer.open(RendererOptions.llvmpipe());
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "stream-tests")), "staged")
                .toAbsolutePath();
        file = dir.resolve("staged.vgs");
        RegionGuestMemory ram = GuestRam.allocate(RAM, 2 << 20);
        StreamRecorder recorder = StreamRecorder.create(file, GpuConfig.defaults().withSize(W, H), renderer.info(),
                new StreamManifest.Source("StagedUploadReplayTest", "texture filled from a staging buffer"));
        try (VirtioGpu gpu = recorder.attach(VirtioGpu.builder(ram).renderer(renderer).display(new DisplayListener() {
            @Override
            public void onFrame(Frame frame) {
                live.add(frame);
            }
        })).build()) {
            send(gpu, new GpuCommand.CtxCreate(ctx(), 0, "staged"));
            send(gpu, new GpuCommand.ResourceCreate3d(CtrlHeader.EMPTY, TEXTURE, 2, VirglCommands.FORMAT_B8G8R8X8_UNORM,
                    TEXTURE_BINDS, W, H, 1, 1, 0, 0, 0));
            send(gpu, new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, TEXTURE,
                    List.of(new MemEntry(TEXTURE_BACKING, W * H * 4))));
            send(gpu, new GpuCommand.CtxAttachResource(ctx(), TEXTURE));
            int size = STRIDE * H;
            send(gpu, new GpuCommand.ResourceCreate3d(CtrlHeader.EMPTY, STAGING, 0, FORMAT_R8_UNORM, BIND_STAGING,
                    size, 1, 1, 1, 0, 0, 0));
            send(gpu, new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, STAGING,
                    List.of(new MemEntry(STAGING_BACKING, size))));
            send(gpu, new GpuCommand.CtxAttachResource(ctx(), STAGING));
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    ram.slice(STAGING_BACKING + (long) y * STRIDE + x * 4L, 4).putInt(0, pattern(x, y));
                }
            }
            ByteBuffer copy = new VirglCommands().copyTransfer3d(TEXTURE, 0, 0, W, H, STRIDE, STAGING, 0, 0).build();
            send(gpu, new GpuCommand.Submit3d(new CtrlHeader(0, CtrlHeader.FLAG_FENCE, 1, CTX, 0), copy));
            Rect all = new Rect(0, 0, W, H);
            send(gpu, new GpuCommand.SetScanout(CtrlHeader.EMPTY, all, 0, TEXTURE));
            send(gpu, new GpuCommand.ResourceFlush(CtrlHeader.EMPTY, all, TEXTURE));
        }
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
    }

    private static int pattern(int x, int y) {
        return 0x40 << 16 | y * 7 << 8 | x * 3;
    }

    private static CtrlHeader ctx() {
        return new CtrlHeader(0, 0, 0, CTX, 0);
    }

    private static void send(VirtioGpu gpu, GpuCommand c) {
        responses.add(GpuResponse.decode(gpu.handle(GpuCommandEncoder.encode(c))).type());
    }

    @Test
    void theLiveTextureHoldsEveryRowOfTheStagingBuffer() {
        assertTrue(responses.stream().noneMatch(GpuResponseType::isError), responses.toString());
        Frame shown = live.get(live.size() - 1);
        assertEquals(0xff000000 | pattern(5, 0), shown.pixel(5, 0), "first row");
        assertEquals(0xff000000 | pattern(W - 1, H - 1), shown.pixel(W - 1, H - 1), "last texel of the last row");
    }

    @Test
    void theReplayShowsTheSameTexture() throws Exception {
        ReplayReport r = StreamReplayer.replay(file, renderer, StreamReplayer.Options.defaults());
        assertTrue(r.passed(), r.toString());
        assertEquals(r.frames().size(), r.count(FrameResult.Status.MATCH), r.toString());
        List<String> replayed = r.frames().stream().filter(f -> f.kind() == FrameKind.SCANOUT)
                .map(FrameResult::actualSha256).toList();
        assertEquals(live.stream().map(Frame::sha256).toList(), replayed);
    }
}
