package io.github.virgl4j.virgl;

import static io.github.virgl4j.virgl.Layouts.atLeast;
import static io.github.virgl4j.virgl.Layouts.fixed;
import static io.github.virgl4j.virgl.Layouts.handles;
import static io.github.virgl4j.virgl.Layouts.head;

/**
 * Layouts of the object commands, by {@code enum virgl_object_type}. Object handles (dword 1 of
 * each) name per-context objects, not resources, and stay as they are; only the resource an object
 * is made over is rewritten. Sizes are virgl_protocol.h's {@code VIRGL_OBJ_*_SIZE}.
 */
final class ObjectLayouts {
    /** PIPE_MAX_ATTRIBS, the renderer's limit on vertex elements. */
    private static final int MAX_ATTRIBS = 32;

    private ObjectLayouts() {
    }

    /** CREATE_OBJECT, by object type. */
    static CommandLayout[] create() {
        CommandLayout[] t = new CommandLayout[Ccmd.OBJ_MSAA_SURFACE + 1];
        t[Ccmd.OBJ_BLEND] = fixed(11);                       // VIRGL_OBJ_BLEND_SIZE
        t[Ccmd.OBJ_RASTERIZER] = fixed(9);                   // VIRGL_OBJ_RS_SIZE
        t[Ccmd.OBJ_DSA] = fixed(5);                          // VIRGL_OBJ_DSA_SIZE
        t[Ccmd.OBJ_SHADER] = atLeast(5);                     // VIRGL_OBJ_SHADER_HDR_SIZE(0), then stream-out info and TGSI text
        t[Ccmd.OBJ_VERTEX_ELEMENTS] = head(1).elements(4).count(0, MAX_ATTRIBS); // VIRGL_OBJ_VERTEX_ELEMENTS_SIZE(n)
        t[Ccmd.OBJ_SAMPLER_VIEW] = fixed(6, handles(2));     // VIRGL_OBJ_SAMPLER_VIEW_SIZE, _RES_HANDLE
        t[Ccmd.OBJ_SAMPLER_STATE] = fixed(9);                // VIRGL_OBJ_SAMPLER_STATE_SIZE
        t[Ccmd.OBJ_SURFACE] = fixed(5, handles(2));          // VIRGL_OBJ_SURFACE_SIZE, _RES_HANDLE
        t[Ccmd.OBJ_QUERY] = fixed(4, handles(4));            // VIRGL_OBJ_QUERY_SIZE, _RES_HANDLE (the result buffer)
        t[Ccmd.OBJ_STREAMOUT_TARGET] = fixed(4, handles(2)); // VIRGL_OBJ_STREAMOUT_SIZE, _RES_HANDLE
        t[Ccmd.OBJ_MSAA_SURFACE] = fixed(6, handles(2));     // VIRGL_OBJ_MSAA_SURFACE_SIZE, VIRGL_OBJ_SURFACE_RES_HANDLE
        return t;
    }

    /** BIND_OBJECT: only the types vrend_decode_bind_object accepts; one object handle. */
    static CommandLayout[] bind() {
        CommandLayout[] t = new CommandLayout[Ccmd.OBJ_MSAA_SURFACE + 1];
        t[Ccmd.OBJ_BLEND] = fixed(1);                        // VIRGL_OBJ_BIND_HANDLE
        t[Ccmd.OBJ_RASTERIZER] = fixed(1);
        t[Ccmd.OBJ_DSA] = fixed(1);
        t[Ccmd.OBJ_VERTEX_ELEMENTS] = fixed(1);
        return t;
    }

    /** DESTROY_OBJECT: any object type; one object handle. */
    static CommandLayout[] destroy() {
        CommandLayout[] t = new CommandLayout[Ccmd.OBJ_MSAA_SURFACE + 1];
        for (int type = Ccmd.OBJ_BLEND; type <= Ccmd.OBJ_MSAA_SURFACE; type++) {
            t[type] = fixed(1);                              // VIRGL_OBJ_DESTROY_HANDLE
        }
        return t;
    }
}
