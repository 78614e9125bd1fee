package io.github.virgl4j.renderer;

/**
 * Which thread completes a session's fence futures (and so runs their dependents).
 *
 * <p>{@link #HELPER_THREAD}, the default, is safe for any dependent: it may block, take locks or
 * wait for the renderer. {@link #RENDER_THREAD} completes them on the render thread right after
 * virglrenderer reported the fence, saving two thread hand-offs per fence (about 0.3 ms under
 * load on two cores, what a vtest client waiting in RESOURCE_BUSY_WAIT feels every frame); its
 * dependents must be short and must never block or wait for another thread (session calls they
 * make run inline, and {@link FdWatch#post} is the way to do more work).
 */
public enum FenceCompletion {
    HELPER_THREAD,
    RENDER_THREAD
}
