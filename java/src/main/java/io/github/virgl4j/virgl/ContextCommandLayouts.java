package io.github.virgl4j.virgl;

import static io.github.virgl4j.virgl.Layouts.anyPayload;
import static io.github.virgl4j.virgl.Layouts.atLeast;
import static io.github.virgl4j.virgl.Layouts.byObjectType;
import static io.github.virgl4j.virgl.Layouts.elements;
import static io.github.virgl4j.virgl.Layouts.fixed;
import static io.github.virgl4j.virgl.Layouts.handles;
import static io.github.virgl4j.virgl.Layouts.head;
import static io.github.virgl4j.virgl.Layouts.oneOf;

/**
 * The layout of every context command ({@code enum virgl_context_cmd}), from virglrenderer's
 * src/virgl_protocol.h and the length checks of src/vrend_decode.c (0.10.4). Where the renderer
 * ignores trailing dwords, the layout is the size the protocol defines and Mesa sends, so no dword
 * whose meaning we do not know reaches the renderer.
 *
 * <p>Handles of per-context objects (surfaces, sampler views, queries, stream-output targets,
 * shaders, state objects, sub-contexts, video codecs and buffers) are not resources and stay as
 * they are; only the dwords listed here name resources.
 */
final class ContextCommandLayouts {
    // Limits from the renderer's gallium p_state.h and vrend_decode.c.
    private static final int MAX_VIEWPORTS = 16;           // PIPE_MAX_VIEWPORTS
    private static final int MAX_COLOR_BUFS = 8;           // PIPE_MAX_COLOR_BUFS
    private static final int MAX_ATTRIBS = 32;             // PIPE_MAX_ATTRIBS
    private static final int MAX_SAMPLER_VIEWS = 128;      // PIPE_MAX_SHADER_SAMPLER_VIEWS
    private static final int MAX_SAMPLERS = 32;            // PIPE_MAX_SAMPLERS
    private static final int MAX_SO_TARGETS = 16;          // handles[16] in vrend_decode_set_streamout_targets
    private static final int MAX_SHADER_BUFFERS = 32;      // PIPE_MAX_SHADER_BUFFERS
    private static final int MAX_SHADER_IMAGES = 32;       // PIPE_MAX_SHADER_IMAGES
    private static final int MAX_ATOMIC_BUFFERS = 32;      // PIPE_MAX_HW_ATOMIC_BUFFERS
    private static final int MAX_PLANES = 4;               // VIRGL_GBM_MAX_PLANES
    private static final int MAX_VIDEO_PLANES = 3;         // VREND_VIDEO_BUFFER_PLANE_NUM

    private static final CommandLayout[] TABLE = build();

    private ContextCommandLayouts() {
    }

    /** The layout of command {@code cmd}, or null when there is none (unknown or not accepted). */
    static CommandLayout forCommand(int cmd) {
        return cmd >= 0 && cmd < TABLE.length ? TABLE[cmd] : null;
    }

    private static CommandLayout[] build() {
        CommandLayout[] t = new CommandLayout[Ccmd.GET_PIPE_RESOURCE_LAYOUT + 1];
        t[Ccmd.NOP] = anyPayload();                                  // vrend_decode_dummy
        t[Ccmd.CREATE_OBJECT] = byObjectType(ObjectLayouts.create()); // VIRGL_OBJ_*_SIZE
        t[Ccmd.BIND_OBJECT] = byObjectType(ObjectLayouts.bind());
        t[Ccmd.DESTROY_OBJECT] = byObjectType(ObjectLayouts.destroy());
        t[Ccmd.SET_VIEWPORT_STATE] = head(1).elements(6).count(0, MAX_VIEWPORTS); // VIRGL_SET_VIEWPORT_STATE_SIZE(n)
        t[Ccmd.SET_FRAMEBUFFER_STATE] = head(2).elements(1).countIn(1).count(0, MAX_COLOR_BUFS); // _SIZE(nr_cbufs): surfaces
        t[Ccmd.SET_VERTEX_BUFFERS] = elements(3).count(0, MAX_ATTRIBS).handleAt(2); // VIRGL_SET_VERTEX_BUFFER_HANDLE(x)
        t[Ccmd.CLEAR] = fixed(8);                                    // VIRGL_OBJ_CLEAR_SIZE
        t[Ccmd.DRAW_VBO] = oneOf(fixed(12), fixed(14),               // VIRGL_DRAW_VBO_SIZE, _SIZE_TESS,
                fixed(20, handles(15, 20)));                         // _SIZE_INDIRECT: INDIRECT_HANDLE, _DRAW_COUNT_HANDLE
        t[Ccmd.RESOURCE_INLINE_WRITE] = atLeast(12, handles(1));     // VIRGL_RESOURCE_IW_RES_HANDLE, data from _DATA_START
        t[Ccmd.SET_SAMPLER_VIEWS] = head(2).elements(1).count(0, MAX_SAMPLER_VIEWS); // _V0_HANDLE...: sampler views
        t[Ccmd.SET_INDEX_BUFFER] = oneOf(fixed(1, handles(1)), fixed(3, handles(1))); // VIRGL_SET_INDEX_BUFFER_HANDLE
        t[Ccmd.SET_CONSTANT_BUFFER] = atLeast(2);                    // shader type, index, then constants
        t[Ccmd.SET_STENCIL_REF] = fixed(1);                          // VIRGL_SET_STENCIL_REF_SIZE
        t[Ccmd.SET_BLEND_COLOR] = fixed(4);                          // VIRGL_SET_BLEND_COLOR_SIZE
        t[Ccmd.SET_SCISSOR_STATE] = head(1).elements(2).count(0, MAX_VIEWPORTS); // VIRGL_SET_SCISSOR_STATE_SIZE(n)
        t[Ccmd.BLIT] = fixed(21, handles(4, 13));                    // VIRGL_CMD_BLIT_SIZE, _DST_RES_HANDLE, _SRC_RES_HANDLE
        t[Ccmd.RESOURCE_COPY_REGION] = fixed(13, handles(1, 6));     // VIRGL_CMD_RCR_DST_RES_HANDLE, _SRC_RES_HANDLE
        t[Ccmd.BIND_SAMPLER_STATES] = head(2).elements(1).count(0, MAX_SAMPLERS); // _S0_HANDLE...: sampler states
        t[Ccmd.BEGIN_QUERY] = fixed(1);                              // VIRGL_QUERY_BEGIN_HANDLE: a query
        t[Ccmd.END_QUERY] = fixed(1);                                // VIRGL_QUERY_END_HANDLE: a query
        t[Ccmd.GET_QUERY_RESULT] = fixed(2);                         // VIRGL_QUERY_RESULT_SIZE: a query
        t[Ccmd.SET_POLYGON_STIPPLE] = fixed(32);                     // VIRGL_POLYGON_STIPPLE_SIZE
        t[Ccmd.SET_CLIP_STATE] = fixed(32);                          // VIRGL_SET_CLIP_STATE_SIZE
        t[Ccmd.SET_SAMPLE_MASK] = fixed(1);                          // VIRGL_SET_SAMPLE_MASK_SIZE
        t[Ccmd.SET_STREAMOUT_TARGETS] = head(1).elements(1).count(0, MAX_SO_TARGETS); // _H0...: stream-output targets
        t[Ccmd.SET_RENDER_CONDITION] = fixed(3);                     // VIRGL_RENDER_CONDITION_SIZE: a query
        t[Ccmd.SET_UNIFORM_BUFFER] = fixed(5, handles(5));           // VIRGL_SET_UNIFORM_BUFFER_RES_HANDLE
        t[Ccmd.SET_SUB_CTX] = fixed(1);                              // sub-context id
        t[Ccmd.CREATE_SUB_CTX] = fixed(1);
        t[Ccmd.DESTROY_SUB_CTX] = fixed(1);
        t[Ccmd.BIND_SHADER] = fixed(2);                              // VIRGL_BIND_SHADER_SIZE: a shader
        t[Ccmd.SET_TESS_STATE] = fixed(6);                           // VIRGL_TESS_STATE_SIZE
        t[Ccmd.SET_MIN_SAMPLES] = fixed(1);                          // VIRGL_SET_MIN_SAMPLES_SIZE
        t[Ccmd.SET_SHADER_BUFFERS] = head(2).elements(3).count(0, MAX_SHADER_BUFFERS)
                .handleAt(2);                                        // VIRGL_SET_SHADER_BUFFER_RES_HANDLE(x)
        t[Ccmd.SET_SHADER_IMAGES] = head(2).elements(5).count(0, MAX_SHADER_IMAGES)
                .handleAt(4);                                        // VIRGL_SET_SHADER_IMAGE_RES_HANDLE(x)
        t[Ccmd.MEMORY_BARRIER] = fixed(1);                           // VIRGL_MEMORY_BARRIER_SIZE
        t[Ccmd.LAUNCH_GRID] = fixed(8, handles(7));                  // VIRGL_LAUNCH_INDIRECT_HANDLE
        t[Ccmd.SET_FRAMEBUFFER_STATE_NO_ATTACH] = fixed(2);          // VIRGL_SET_FRAMEBUFFER_STATE_NO_ATTACH_SIZE
        t[Ccmd.TEXTURE_BARRIER] = fixed(1);                          // VIRGL_TEXTURE_BARRIER_SIZE
        t[Ccmd.SET_ATOMIC_BUFFERS] = head(1).elements(3).count(1, MAX_ATOMIC_BUFFERS)
                .handleAt(2);                                        // VIRGL_SET_ATOMIC_BUFFER_RES_HANDLE(x)
        t[Ccmd.SET_DEBUG_FLAGS] = atLeast(2);                        // VIRGL_SET_DEBUG_FLAGS_MIN_SIZE: a string
        t[Ccmd.GET_QUERY_RESULT_QBO] = fixed(6, handles(2));         // VIRGL_QUERY_RESULT_QBO_QBO_HANDLE
        t[Ccmd.TRANSFER3D] = fixed(13, handles(1));                  // VIRGL_TRANSFER3D_SIZE, VIRGL_RESOURCE_IW_RES_HANDLE
        t[Ccmd.END_TRANSFERS] = anyPayload();                        // vrend_decode_dummy; Mesa pads with it
        t[Ccmd.COPY_TRANSFER3D] = fixed(14, handles(1, 12));         // VIRGL_RESOURCE_IW_RES_HANDLE, _SRC_RES_HANDLE
        t[Ccmd.SET_TWEAKS] = fixed(2);                               // VIRGL_SET_TWEAKS_SIZE
        t[Ccmd.CLEAR_TEXTURE] = fixed(12, handles(1));               // VIRGL_CLEAR_TEXTURE_SIZE, VIRGL_TEXTURE_HANDLE
        t[Ccmd.PIPE_RESOURCE_CREATE] = fixed(11);                    // VIRGL_PIPE_RES_CREATE_SIZE: BLOB_ID is the context's
        t[Ccmd.PIPE_RESOURCE_SET_TYPE] = head(8, handles(1)).elements(2)
                .count(1, MAX_PLANES);                               // VIRGL_PIPE_RES_SET_TYPE_SIZE(n), _RES_HANDLE
        t[Ccmd.GET_MEMORY_INFO] = fixed(1, handles(1));              // the resource the info is written to
        t[Ccmd.SEND_STRING_MARKER] = atLeast(2);                     // VIRGL_SEND_STRING_MARKER_MIN_SIZE: a string
        t[Ccmd.LINK_SHADER] = fixed(6);                              // VIRGL_LINK_SHADER_SIZE: shaders
        t[Ccmd.CREATE_VIDEO_CODEC] = oneOf(fixed(7), fixed(8));      // _MIN_SIZE, and with _MAX_REF
        t[Ccmd.DESTROY_VIDEO_CODEC] = fixed(1);                      // a codec
        t[Ccmd.CREATE_VIDEO_BUFFER] = head(4).elements(1).count(1, MAX_VIDEO_PLANES)
                .handleAt(0);                                        // VIRGL_CREATE_VIDEO_BUFFER_RES_BASE...: planes
        t[Ccmd.DESTROY_VIDEO_BUFFER] = fixed(1);                     // a video buffer
        t[Ccmd.BEGIN_FRAME] = fixed(2);                              // a codec and a video buffer
        // DECODE_MACROBLOCK: no layout in the protocol (a no-op in the renderer); refused.
        t[Ccmd.DECODE_BITSTREAM] = fixed(5, handles(3, 4));          // VIRGL_DECODE_BS_DSC_HANDLE, _BUF_HANDLE
        t[Ccmd.ENCODE_BITSTREAM] = fixed(5, handles(3, 4, 5));       // VIRGL_ENCODE_BS_DEST_, _DESC_, _FEED_HANDLE
        t[Ccmd.END_FRAME] = fixed(2);                                // a codec and a video buffer
        t[Ccmd.CLEAR_SURFACE] = fixed(10);                           // VIRGL_CLEAR_SURFACE_SIZE: a surface
        t[Ccmd.GET_PIPE_RESOURCE_LAYOUT] = fixed(2, handles(1, 2));  // VIRGL_RESOURCE_LAYOUT_HANDLE_OUT, _TARGET
        return t;
    }
}
