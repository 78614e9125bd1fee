package io.github.virgl4j.virgl;

import static io.github.virgl4j.virgl.Streams.hdr;
import static io.github.virgl4j.virgl.Streams.translated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * Every command with resource handles, built with {@link VirglCommands} in guest ids (1..6) and
 * checked dword for dword after translation to the renderer's (5000..5005).
 */
class TranslatorHandlesTest {
    private static final int RGBA8 = VirglCommands.FORMAT_R8G8B8A8_UNORM;

    @Test
    void createSurfaceRewritesItsResourceNotTheSurfaceHandle() throws Exception {
        assertArrayEquals(new int[] {hdr(1, 8, 5), 1, 5000, RGBA8, 0, 0},
                translated(new VirglCommands().createSurface(1, 1, RGBA8)));
    }

    @Test
    void createMsaaSurface() throws Exception {
        assertArrayEquals(new int[] {hdr(1, 11, 6), 7, 5002, RGBA8, 0, 0, 4},
                translated(new VirglCommands().createMsaaSurface(7, 3, RGBA8, 4)));
    }

    @Test
    void createSamplerView() throws Exception {
        assertArrayEquals(new int[] {hdr(1, 6, 6), 2, 5001, RGBA8, 0, 0, 0x688},
                translated(new VirglCommands().createSamplerView(2, 2, RGBA8)));
    }

    @Test
    void createStreamoutTarget() throws Exception {
        assertArrayEquals(new int[] {hdr(1, 10, 4), 9, 5003, 16, 256},
                translated(new VirglCommands().createStreamoutTarget(9, 4, 16, 256)));
    }

    @Test
    void createQueryRewritesItsResultBuffer() throws Exception {
        assertArrayEquals(new int[] {hdr(1, 9, 4), 3, 5 | (1 << 16), 8, 5004},
                translated(new VirglCommands().createQuery(3, 5, 1, 5, 8)));
    }

    @Test
    void setVertexBuffersRewritesEveryTripleAndKeepsZero() throws Exception {
        assertArrayEquals(new int[] {hdr(6, 0, 9), 16, 0, 5000, 8, 64, 0, 12, 4, 5005},
                translated(new VirglCommands().setVertexBuffers(16, 0, 1, 8, 64, 0, 12, 4, 6)));
    }

    @Test
    void setIndexBufferBothForms() throws Exception {
        assertArrayEquals(new int[] {hdr(11, 0, 3), 5001, 2, 32, hdr(11, 0, 1), 0},
                translated(new VirglCommands().setIndexBuffer(2, 2, 32).command(Ccmd.SET_INDEX_BUFFER, 0, 0)));
    }

    @Test
    void drawVboIndirectRewritesBothIndirectHandles() throws Exception {
        int[] out = translated(new VirglCommands().drawIndirect(4, 3, 64, 16, 2, 4, 128));
        assertArrayEquals(new int[] {hdr(8, 0, 20), 0, 0, 4, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, 0,
                5002, 64, 16, 2, 128, 5003}, out);
    }

    @Test
    void drawVboIndirectWithoutCountBuffer() throws Exception {
        int[] out = translated(new VirglCommands().drawIndirect(4, 1, 0, 16, 1, 0, 0));
        assertArrayEquals(new int[] {hdr(8, 0, 20), 0, 0, 4, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, 0,
                5000, 0, 16, 1, 0, 0}, out);
    }

    @Test
    void drawVboDirectFormsHaveNoHandles() throws Exception {
        int[] plain = {hdr(8, 0, 12), 0, 3, 4, 0, 1, 0, 0, 0, 0, 0, 2, 1};
        int[] tess = {hdr(8, 0, 14), 0, 3, 14, 0, 1, 0, 0, 0, 0, 0, 2, 1, 3, 1};
        assertArrayEquals(plain, translated(plain));
        assertArrayEquals(tess, translated(tess));
    }

    @Test
    void resourceInlineWriteRewritesTheResourceNotTheData() throws Exception {
        assertArrayEquals(new int[] {hdr(9, 0, 13), 5000, 0, 0, 8, 0, 1, 2, 0, 2, 1, 1, 1, 2},
                translated(new VirglCommands().inlineWrite(1, 1, 2, 2, 1, 8, 1, 2)));
    }

    @Test
    void setUniformBuffer() throws Exception {
        assertArrayEquals(new int[] {hdr(27, 0, 5), 1, 0, 0, 256, 5004},
                translated(new VirglCommands().setUniformBuffer(1, 0, 0, 256, 5)));
    }

    @Test
    void blitRewritesDestinationAndSource() throws Exception {
        assertArrayEquals(new int[] {hdr(16, 0, 21), 0xf, 0, 0,
                5001, 0, RGBA8, 3, 4, 0, 8, 8, 1,
                5000, 0, RGBA8, 0, 0, 0, 8, 8, 1},
                translated(new VirglCommands().blit(2, RGBA8, 3, 4, 1, RGBA8, 0, 0, 8, 8)));
    }

    @Test
    void resourceCopyRegionRewritesDestinationAndSource() throws Exception {
        assertArrayEquals(new int[] {hdr(17, 0, 13), 5001, 0, 8, 8, 0, 5000, 0, 0, 0, 0, 16, 16, 1},
                translated(new VirglCommands().copyRegion(2, 8, 8, 1, 0, 0, 16, 16)));
    }

    @Test
    void setShaderBuffersRewritesEachElement() throws Exception {
        assertArrayEquals(new int[] {hdr(34, 0, 8), 5, 2, 0, 64, 5002, 0, 0, 0},
                translated(new VirglCommands().setShaderBuffers(5, 2, 0, 64, 3, 0, 0, 0)));
    }

    @Test
    void setShaderImagesRewritesEachElement() throws Exception {
        assertArrayEquals(new int[] {hdr(35, 0, 12), 1, 0, RGBA8, 2, 0, 0, 5000, RGBA8, 3, 0, 1, 5005},
                translated(new VirglCommands().setShaderImages(1, 0, RGBA8, 2, 0, 0, 1, RGBA8, 3, 0, 1, 6)));
    }

    @Test
    void setAtomicBuffersRewritesEachElement() throws Exception {
        assertArrayEquals(new int[] {hdr(40, 0, 7), 0, 0, 4, 5003, 4, 4, 5003},
                translated(new VirglCommands().setAtomicBuffers(0, 0, 4, 4, 4, 4, 4)));
    }

    @Test
    void launchGridIndirectAndDirect() throws Exception {
        assertArrayEquals(new int[] {hdr(37, 0, 8), 8, 8, 1, 0, 0, 0, 5001, 12,
                hdr(37, 0, 8), 8, 8, 1, 4, 4, 1, 0, 0},
                translated(new VirglCommands().launchGrid(8, 8, 1, 0, 0, 0, 2, 12)
                        .launchGrid(8, 8, 1, 4, 4, 1, 0, 0)));
    }

    @Test
    void getQueryResultQboRewritesTheBufferNotTheQuery() throws Exception {
        assertArrayEquals(new int[] {hdr(42, 0, 6), 3, 5002, 1, 2, 16, 0},
                translated(new VirglCommands().getQueryResultQbo(3, 3, true, 2, 16, 0)));
    }

    @Test
    void transfer3d() throws Exception {
        assertArrayEquals(new int[] {hdr(43, 0, 13), 5000, 0, 0, 0, 0, 0, 0, 0, 64, 64, 1, 4096, 1},
                translated(new VirglCommands().transfer3d(1, 0, 0, 64, 64, 4096, 1)));
    }

    @Test
    void copyTransfer3dRewritesDestinationAndSource() throws Exception {
        assertArrayEquals(new int[] {hdr(45, 0, 14), 5000, 0, 0, 256, 0, 0, 0, 0, 64, 4, 1, 5001, 512, 1},
                translated(new VirglCommands().copyTransfer3d(1, 0, 0, 64, 4, 256, 2, 512, 1)));
    }

    @Test
    void clearTexture() throws Exception {
        assertArrayEquals(new int[] {hdr(47, 0, 12), 5003, 0, 1, 1, 0, 2, 2, 1, 0xff0000ff, 0, 0, 0},
                translated(new VirglCommands().clearTexture(4, 1, 1, 2, 2, 0xff0000ff)));
    }

    @Test
    void pipeResourceSetTypeWithTwoPlanes() throws Exception {
        assertArrayEquals(new int[] {hdr(49, 0, 12), 5004, RGBA8, 2, 64, 32, 0, 0, 0, 256, 0, 128, 8192},
                translated(new VirglCommands().pipeResourceSetType(5, RGBA8, 2, 64, 32, 0, 0L, 256, 0, 128, 8192)));
    }

    @Test
    void getMemoryInfo() throws Exception {
        assertArrayEquals(new int[] {hdr(50, 0, 1), 5005}, translated(new VirglCommands().getMemoryInfo(6)));
    }

    @Test
    void videoCommandsRewriteResourcesNotCodecsOrVideoBuffers() throws Exception {
        assertArrayEquals(new int[] {
            hdr(55, 0, 7), 9, 23, 64, 64, 5000, 5001, 0,  // CREATE_VIDEO_BUFFER 9 over planes 1, 2
            hdr(59, 0, 5), 8, 9, 5002, 5003, 4096,        // DECODE_BITSTREAM desc 3, bitstream 4
            hdr(60, 0, 5), 8, 9, 5004, 5002, 5005,        // ENCODE_BITSTREAM dest 5, desc 3, feedback 6
        }, translated(new VirglCommands()
                .command(Ccmd.CREATE_VIDEO_BUFFER, 0, 9, 23, 64, 64, 1, 2, 0)
                .command(Ccmd.DECODE_BITSTREAM, 0, 8, 9, 3, 4, 4096)
                .command(Ccmd.ENCODE_BITSTREAM, 0, 8, 9, 5, 3, 6)));
    }

    @Test
    void getPipeResourceLayoutOfNewerRenderers() throws Exception {
        assertArrayEquals(new int[] {hdr(63, 0, 2), 5001, 5000},
                translated(new VirglCommands().command(Ccmd.GET_PIPE_RESOURCE_LAYOUT, 0, 2, 1)));
    }

    @Test
    void objectHandleCommandsPassUnchanged() throws Exception {
        VirglCommands objects = new VirglCommands()
                .setFramebuffer(1, 2)                 // surfaces 1, 2
                .setSamplerViews(1, 0, 1, 2, 0)       // sampler views
                .setStreamoutTargets(0, 1, 2)         // stream-output targets
                .command(Ccmd.BEGIN_QUERY, 0, 1)
                .command(Ccmd.SET_RENDER_CONDITION, 0, 1, 0, 0)
                .command(Ccmd.BIND_SHADER, 0, 2, 1)
                .destroySurface(1);
        assertArrayEquals(Streams.dwords(objects.build()), translated(objects));
    }

    @Test
    void aMixedStreamRewritesOnlyResources() throws Exception {
        VirglCommands guest = new VirglCommands()
                .createSurface(1, 1, RGBA8)
                .setFramebuffer(1)
                .clearColor(1f, 0f, 0f, 1f)
                .copyRegion(2, 0, 0, 1, 0, 0, 4, 4);
        int[] in = Streams.dwords(guest.build());
        int[] expected = in.clone();
        expected[2] = 5000;                // surface's resource
        expected[6 + 4 + 9 + 1] = 5001;    // copy destination
        expected[6 + 4 + 9 + 6] = 5000;    // copy source
        assertArrayEquals(expected, translated(guest));
    }
}
