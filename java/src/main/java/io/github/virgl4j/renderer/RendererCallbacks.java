package io.github.virgl4j.renderer;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_callbacks_store_fence;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_callbacks_v3_store_fence;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_open_rw;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_has_context_fences;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_renderer_init_v3;
import static io.github.virgl4j.binding.global.virglrenderer.virgl_renderer_init;

import io.github.virgl4j.binding.v4j_get_drm_fd_cb;
import io.github.virgl4j.binding.v4j_renderer_callbacks_v3;
import io.github.virgl4j.binding.v4j_write_context_fence_cb;
import io.github.virgl4j.binding.virgl_renderer_callbacks;
import java.util.logging.Logger;
import org.bytedeco.javacpp.Pointer;

/**
 * The callback table handed to {@code virgl_renderer_init}: version 1 or 2 (write_fence, native
 * code of ours that stores the id at the cookie, and
 * get_drm_fd with a render node), or version 3 with write_context_fence when per-context fences
 * are asked for and the library has them. Every callback object stays strongly reachable here
 * for as long as virglrenderer may call it (NativeVirgl keeps this for its life).
 */
final class RendererCallbacks {
    private static final Logger LOG = Logger.getLogger("io.github.virgl4j.renderer.virglrenderer");

    private final virgl_renderer_callbacks callbacks = new virgl_renderer_callbacks();
    private final virgl_renderer_callbacks.Get_drm_fd_Pointer getDrmFd;
    /** Version-3 callbacks when the library has per-context fences, else null. */
    private final v4j_renderer_callbacks_v3 callbacksV3;
    private final v4j_get_drm_fd_cb getDrmFdV3;
    private final v4j_write_context_fence_cb writeContextFence;

    RendererCallbacks(NativeVirgl.ContextFenceSink contextFenceSink, String renderNodePath) {
        this.getDrmFd = new virgl_renderer_callbacks.Get_drm_fd_Pointer() {
            @Override
            public int call(Pointer c) {
                return renderNodePath == null ? -1 : v4j_open_rw(renderNodePath);
            }
        };
        callbacks.version(renderNodePath == null ? 1 : 2);
        v4j_callbacks_store_fence(callbacks); // write_fence stays native: see NativeVirgl.lastFence
        if (renderNodePath != null) {
            callbacks.get_drm_fd(getDrmFd);
        }
        // Off by default: vrend keeps one fence list for all contexts and its sync thread waits on
        // it in order, so per-context fences of virgl contexts retire no earlier (README Limits).
        if (NativeVirgl.contextFencesAsked() && v4j_has_context_fences() != 0) {
            LOG.warning("per-context fences are on (" + NativeVirgl.CONTEXT_FENCES_PROPERTY + "): virglrenderer 0.10.4 crashed"
                    + " with them when contexts were destroyed while fences were pending; not for untrusted guests");
            // virglrenderer.h (unstable part): version 3 adds write_context_fence.
            getDrmFdV3 = new v4j_get_drm_fd_cb() {
                @Override
                public int call(Pointer c) {
                    return renderNodePath == null ? -1 : v4j_open_rw(renderNodePath);
                }
            };
            writeContextFence = new v4j_write_context_fence_cb() {
                @Override
                public void call(Pointer c, int ctxId, int ringIdx, long fenceId) {
                    contextFenceSink.retired(ctxId, ringIdx, fenceId);
                }
            };
            callbacksV3 = new v4j_renderer_callbacks_v3();
            callbacksV3.version(3).create_gl_context(null).destroy_gl_context(null)
                    .make_current(null).get_drm_fd(renderNodePath == null ? null : getDrmFdV3)
                    .write_context_fence(writeContextFence).get_server_fd(null);
            v4j_callbacks_v3_store_fence(callbacksV3);
        } else {
            getDrmFdV3 = null;
            writeContextFence = null;
            callbacksV3 = null;
        }
    }

    /** Whether fences are per context (virgl_renderer_context_create_fence) rather than global. */
    boolean contextFences() {
        return callbacksV3 != null;
    }

    /** virgl_renderer_init with this table; 0 or the error it gave. */
    int init(Pointer cookie, int flags) {
        return callbacksV3 != null ? v4j_renderer_init_v3(cookie, flags, callbacksV3)
                : virgl_renderer_init(cookie, flags, callbacks);
    }
}
