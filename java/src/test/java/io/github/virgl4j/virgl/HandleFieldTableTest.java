package io.github.virgl4j.virgl;

import static io.github.virgl4j.virgl.Streams.hdr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An independent list, written from virgl_protocol.h, of where every command's resource handles
 * are: each command gets payload dwords 101, 102, ... (all "owned" by the guest, mapped to +10000),
 * and exactly the listed dwords must change.
 */
class HandleFieldTableTest {
    private static final int OWN_OFFSET = 10_000;

    static List<Arguments> commands() {
        List<Arguments> c = new ArrayList<>();
        // command, object type, payload length, handle dwords
        c.add(Arguments.of(Ccmd.NOP, 0, 3, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_BLEND, 11, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_RASTERIZER, 9, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_DSA, 5, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_SHADER, 12, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_VERTEX_ELEMENTS, 9, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_SAMPLER_VIEW, 6, new int[] {2}));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_SAMPLER_STATE, 9, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_SURFACE, 5, new int[] {2}));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_QUERY, 4, new int[] {4}));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_STREAMOUT_TARGET, 4, new int[] {2}));
        c.add(Arguments.of(Ccmd.CREATE_OBJECT, Ccmd.OBJ_MSAA_SURFACE, 6, new int[] {2}));
        for (int type : new int[] {Ccmd.OBJ_BLEND, Ccmd.OBJ_RASTERIZER, Ccmd.OBJ_DSA, Ccmd.OBJ_VERTEX_ELEMENTS}) {
            c.add(Arguments.of(Ccmd.BIND_OBJECT, type, 1, new int[0]));
        }
        for (int type = 1; type <= 11; type++) {
            c.add(Arguments.of(Ccmd.DESTROY_OBJECT, type, 1, new int[0]));
        }
        c.add(Arguments.of(Ccmd.SET_VIEWPORT_STATE, 0, 13, new int[0]));
        c.add(Arguments.of(Ccmd.SET_VERTEX_BUFFERS, 0, 9, new int[] {3, 6, 9}));
        c.add(Arguments.of(Ccmd.CLEAR, 0, 8, new int[0]));
        c.add(Arguments.of(Ccmd.DRAW_VBO, 0, 12, new int[0]));
        c.add(Arguments.of(Ccmd.DRAW_VBO, 0, 14, new int[0]));
        c.add(Arguments.of(Ccmd.DRAW_VBO, 0, 20, new int[] {15, 20}));
        c.add(Arguments.of(Ccmd.RESOURCE_INLINE_WRITE, 0, 16, new int[] {1}));
        c.add(Arguments.of(Ccmd.SET_SAMPLER_VIEWS, 0, 5, new int[0]));
        c.add(Arguments.of(Ccmd.SET_INDEX_BUFFER, 0, 1, new int[] {1}));
        c.add(Arguments.of(Ccmd.SET_INDEX_BUFFER, 0, 3, new int[] {1}));
        c.add(Arguments.of(Ccmd.SET_CONSTANT_BUFFER, 0, 6, new int[0]));
        c.add(Arguments.of(Ccmd.SET_STENCIL_REF, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.SET_BLEND_COLOR, 0, 4, new int[0]));
        c.add(Arguments.of(Ccmd.SET_SCISSOR_STATE, 0, 5, new int[0]));
        c.add(Arguments.of(Ccmd.BLIT, 0, 21, new int[] {4, 13}));
        c.add(Arguments.of(Ccmd.RESOURCE_COPY_REGION, 0, 13, new int[] {1, 6}));
        c.add(Arguments.of(Ccmd.BIND_SAMPLER_STATES, 0, 4, new int[0]));
        c.add(Arguments.of(Ccmd.BEGIN_QUERY, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.END_QUERY, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.GET_QUERY_RESULT, 0, 2, new int[0]));
        c.add(Arguments.of(Ccmd.SET_POLYGON_STIPPLE, 0, 32, new int[0]));
        c.add(Arguments.of(Ccmd.SET_CLIP_STATE, 0, 32, new int[0]));
        c.add(Arguments.of(Ccmd.SET_SAMPLE_MASK, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.SET_STREAMOUT_TARGETS, 0, 4, new int[0]));
        c.add(Arguments.of(Ccmd.SET_RENDER_CONDITION, 0, 3, new int[0]));
        c.add(Arguments.of(Ccmd.SET_UNIFORM_BUFFER, 0, 5, new int[] {5}));
        c.add(Arguments.of(Ccmd.SET_SUB_CTX, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_SUB_CTX, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.DESTROY_SUB_CTX, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.BIND_SHADER, 0, 2, new int[0]));
        c.add(Arguments.of(Ccmd.SET_TESS_STATE, 0, 6, new int[0]));
        c.add(Arguments.of(Ccmd.SET_MIN_SAMPLES, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.SET_SHADER_BUFFERS, 0, 8, new int[] {5, 8}));
        c.add(Arguments.of(Ccmd.SET_SHADER_IMAGES, 0, 12, new int[] {7, 12}));
        c.add(Arguments.of(Ccmd.MEMORY_BARRIER, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.LAUNCH_GRID, 0, 8, new int[] {7}));
        c.add(Arguments.of(Ccmd.SET_FRAMEBUFFER_STATE_NO_ATTACH, 0, 2, new int[0]));
        c.add(Arguments.of(Ccmd.TEXTURE_BARRIER, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.SET_ATOMIC_BUFFERS, 0, 7, new int[] {4, 7}));
        c.add(Arguments.of(Ccmd.SET_DEBUG_FLAGS, 0, 3, new int[0]));
        c.add(Arguments.of(Ccmd.GET_QUERY_RESULT_QBO, 0, 6, new int[] {2}));
        c.add(Arguments.of(Ccmd.TRANSFER3D, 0, 13, new int[] {1}));
        c.add(Arguments.of(Ccmd.END_TRANSFERS, 0, 5, new int[0]));
        c.add(Arguments.of(Ccmd.COPY_TRANSFER3D, 0, 14, new int[] {1, 12}));
        c.add(Arguments.of(Ccmd.SET_TWEAKS, 0, 2, new int[0]));
        c.add(Arguments.of(Ccmd.CLEAR_TEXTURE, 0, 12, new int[] {1}));
        c.add(Arguments.of(Ccmd.PIPE_RESOURCE_CREATE, 0, 11, new int[0]));
        c.add(Arguments.of(Ccmd.PIPE_RESOURCE_SET_TYPE, 0, 14, new int[] {1}));
        c.add(Arguments.of(Ccmd.GET_MEMORY_INFO, 0, 1, new int[] {1}));
        c.add(Arguments.of(Ccmd.SEND_STRING_MARKER, 0, 3, new int[0]));
        c.add(Arguments.of(Ccmd.LINK_SHADER, 0, 6, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_VIDEO_CODEC, 0, 7, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_VIDEO_CODEC, 0, 8, new int[0]));
        c.add(Arguments.of(Ccmd.DESTROY_VIDEO_CODEC, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.CREATE_VIDEO_BUFFER, 0, 7, new int[] {5, 6, 7}));
        c.add(Arguments.of(Ccmd.DESTROY_VIDEO_BUFFER, 0, 1, new int[0]));
        c.add(Arguments.of(Ccmd.BEGIN_FRAME, 0, 2, new int[0]));
        c.add(Arguments.of(Ccmd.DECODE_BITSTREAM, 0, 5, new int[] {3, 4}));
        c.add(Arguments.of(Ccmd.ENCODE_BITSTREAM, 0, 5, new int[] {3, 4, 5}));
        c.add(Arguments.of(Ccmd.END_FRAME, 0, 2, new int[0]));
        c.add(Arguments.of(Ccmd.CLEAR_SURFACE, 0, 10, new int[0]));
        c.add(Arguments.of(Ccmd.GET_PIPE_RESOURCE_LAYOUT, 0, 2, new int[] {1, 2}));
        return c;
    }

    @ParameterizedTest(name = "{0}/{1} length {2}")
    @MethodSource("commands")
    void exactlyTheHandleDwordsChange(int cmd, int object, int length, int[] handleDwords) throws Exception {
        int[] in = new int[length + 1];
        in[0] = hdr(cmd, object, length);
        for (int i = 1; i <= length; i++) {
            in[i] = 100 + i;
        }
        int[] expected = in.clone();
        for (int h : handleDwords) {
            expected[h] += OWN_OFFSET;
        }
        int[] out = Streams.dwords(VirglStreamTranslator.translate(Streams.stream(in),
                g -> g > 100 && g <= 100 + length ? g + OWN_OFFSET : -1));
        assertArrayEquals(expected, out, () -> Ccmd.name(cmd, object) + " handles " + IntStream.of(handleDwords)
                .boxed().toList());
    }
}
