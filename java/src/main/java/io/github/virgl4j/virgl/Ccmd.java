package io.github.virgl4j.virgl;

/**
 * Command and object numbers of the virgl context protocol: {@code enum virgl_context_cmd} and
 * {@code enum virgl_object_type} in virglrenderer's src/virgl_protocol.h (0.10.4; 62 and 63 are
 * later additions). Facts, with names for messages.
 */
final class Ccmd {
    static final int NOP = 0;
    static final int CREATE_OBJECT = 1;
    static final int BIND_OBJECT = 2;
    static final int DESTROY_OBJECT = 3;
    static final int SET_VIEWPORT_STATE = 4;
    static final int SET_FRAMEBUFFER_STATE = 5;
    static final int SET_VERTEX_BUFFERS = 6;
    static final int CLEAR = 7;
    static final int DRAW_VBO = 8;
    static final int RESOURCE_INLINE_WRITE = 9;
    static final int SET_SAMPLER_VIEWS = 10;
    static final int SET_INDEX_BUFFER = 11;
    static final int SET_CONSTANT_BUFFER = 12;
    static final int SET_STENCIL_REF = 13;
    static final int SET_BLEND_COLOR = 14;
    static final int SET_SCISSOR_STATE = 15;
    static final int BLIT = 16;
    static final int RESOURCE_COPY_REGION = 17;
    static final int BIND_SAMPLER_STATES = 18;
    static final int BEGIN_QUERY = 19;
    static final int END_QUERY = 20;
    static final int GET_QUERY_RESULT = 21;
    static final int SET_POLYGON_STIPPLE = 22;
    static final int SET_CLIP_STATE = 23;
    static final int SET_SAMPLE_MASK = 24;
    static final int SET_STREAMOUT_TARGETS = 25;
    static final int SET_RENDER_CONDITION = 26;
    static final int SET_UNIFORM_BUFFER = 27;
    static final int SET_SUB_CTX = 28;
    static final int CREATE_SUB_CTX = 29;
    static final int DESTROY_SUB_CTX = 30;
    static final int BIND_SHADER = 31;
    static final int SET_TESS_STATE = 32;
    static final int SET_MIN_SAMPLES = 33;
    static final int SET_SHADER_BUFFERS = 34;
    static final int SET_SHADER_IMAGES = 35;
    static final int MEMORY_BARRIER = 36;
    static final int LAUNCH_GRID = 37;
    static final int SET_FRAMEBUFFER_STATE_NO_ATTACH = 38;
    static final int TEXTURE_BARRIER = 39;
    static final int SET_ATOMIC_BUFFERS = 40;
    static final int SET_DEBUG_FLAGS = 41;
    static final int GET_QUERY_RESULT_QBO = 42;
    static final int TRANSFER3D = 43;
    static final int END_TRANSFERS = 44;
    static final int COPY_TRANSFER3D = 45;
    static final int SET_TWEAKS = 46;
    static final int CLEAR_TEXTURE = 47;
    static final int PIPE_RESOURCE_CREATE = 48;
    static final int PIPE_RESOURCE_SET_TYPE = 49;
    static final int GET_MEMORY_INFO = 50;
    static final int SEND_STRING_MARKER = 51;
    static final int LINK_SHADER = 52;
    static final int CREATE_VIDEO_CODEC = 53;
    static final int DESTROY_VIDEO_CODEC = 54;
    static final int CREATE_VIDEO_BUFFER = 55;
    static final int DESTROY_VIDEO_BUFFER = 56;
    static final int BEGIN_FRAME = 57;
    static final int DECODE_MACROBLOCK = 58;
    static final int DECODE_BITSTREAM = 59;
    static final int ENCODE_BITSTREAM = 60;
    static final int END_FRAME = 61;
    /** Newer than 0.10.4 (whose VIRGL_MAX_COMMANDS is 62 and which rejects it itself). */
    static final int CLEAR_SURFACE = 62;
    /** Newer than 0.10.4, likewise. */
    static final int GET_PIPE_RESOURCE_LAYOUT = 63;

    static final int OBJ_BLEND = 1;
    static final int OBJ_RASTERIZER = 2;
    static final int OBJ_DSA = 3;
    static final int OBJ_SHADER = 4;
    static final int OBJ_VERTEX_ELEMENTS = 5;
    static final int OBJ_SAMPLER_VIEW = 6;
    static final int OBJ_SAMPLER_STATE = 7;
    static final int OBJ_SURFACE = 8;
    static final int OBJ_QUERY = 9;
    static final int OBJ_STREAMOUT_TARGET = 10;
    static final int OBJ_MSAA_SURFACE = 11;

    private static final String[] COMMANDS = {
        "NOP", "CREATE_OBJECT", "BIND_OBJECT", "DESTROY_OBJECT", "SET_VIEWPORT_STATE",
        "SET_FRAMEBUFFER_STATE", "SET_VERTEX_BUFFERS", "CLEAR", "DRAW_VBO", "RESOURCE_INLINE_WRITE",
        "SET_SAMPLER_VIEWS", "SET_INDEX_BUFFER", "SET_CONSTANT_BUFFER", "SET_STENCIL_REF",
        "SET_BLEND_COLOR", "SET_SCISSOR_STATE", "BLIT", "RESOURCE_COPY_REGION", "BIND_SAMPLER_STATES",
        "BEGIN_QUERY", "END_QUERY", "GET_QUERY_RESULT", "SET_POLYGON_STIPPLE", "SET_CLIP_STATE",
        "SET_SAMPLE_MASK", "SET_STREAMOUT_TARGETS", "SET_RENDER_CONDITION", "SET_UNIFORM_BUFFER",
        "SET_SUB_CTX", "CREATE_SUB_CTX", "DESTROY_SUB_CTX", "BIND_SHADER", "SET_TESS_STATE",
        "SET_MIN_SAMPLES", "SET_SHADER_BUFFERS", "SET_SHADER_IMAGES", "MEMORY_BARRIER", "LAUNCH_GRID",
        "SET_FRAMEBUFFER_STATE_NO_ATTACH", "TEXTURE_BARRIER", "SET_ATOMIC_BUFFERS", "SET_DEBUG_FLAGS",
        "GET_QUERY_RESULT_QBO", "TRANSFER3D", "END_TRANSFERS", "COPY_TRANSFER3D", "SET_TWEAKS",
        "CLEAR_TEXTURE", "PIPE_RESOURCE_CREATE", "PIPE_RESOURCE_SET_TYPE", "GET_MEMORY_INFO",
        "SEND_STRING_MARKER", "LINK_SHADER", "CREATE_VIDEO_CODEC", "DESTROY_VIDEO_CODEC",
        "CREATE_VIDEO_BUFFER", "DESTROY_VIDEO_BUFFER", "BEGIN_FRAME", "DECODE_MACROBLOCK",
        "DECODE_BITSTREAM", "ENCODE_BITSTREAM", "END_FRAME", "CLEAR_SURFACE", "GET_PIPE_RESOURCE_LAYOUT",
    };

    private static final String[] OBJECTS = {
        "NULL", "BLEND", "RASTERIZER", "DSA", "SHADER", "VERTEX_ELEMENTS", "SAMPLER_VIEW",
        "SAMPLER_STATE", "SURFACE", "QUERY", "STREAMOUT_TARGET", "MSAA_SURFACE",
    };

    private Ccmd() {
    }

    /** "RESOURCE_COPY_REGION", or "command 200" for a number the protocol does not define. */
    static String name(int cmd) {
        return cmd >= 0 && cmd < COMMANDS.length ? COMMANDS[cmd] : "command " + cmd;
    }

    /** "SURFACE", or "object type 99". */
    static String objectName(int type) {
        return type >= 0 && type < OBJECTS.length ? OBJECTS[type] : "object type " + type;
    }

    /** The command's name, with the object type for the three object commands ("CREATE_OBJECT/SURFACE"). */
    static String name(int cmd, int objectType) {
        if (cmd == CREATE_OBJECT || cmd == BIND_OBJECT || cmd == DESTROY_OBJECT) {
            return name(cmd) + "/" + objectName(objectType);
        }
        return name(cmd);
    }
}
