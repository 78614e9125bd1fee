/*
 * Per-context fences of virglrenderer >= 0.10 without VIRGL_RENDERER_UNSTABLE_APIS.
 *
 * virglrenderer.h declares virgl_renderer_context_create_fence() and the version-3 callback
 * write_context_fence() only under VIRGL_RENDERER_UNSTABLE_APIS, which our presets keep
 * undefined (other unstable declarations do not parse). The library itself is built with them
 * (0.10.4's meson.build sets the macro), so: we declare the version-3 callback layout ourselves
 * (a prefix-compatible extension of struct virgl_renderer_callbacks: version, write_fence,
 * create_gl_context, destroy_gl_context, make_current, get_drm_fd, write_context_fence,
 * get_server_fd) and look the function up at run time, so a library without it still works
 * (the caller falls back to the global fence timeline).
 */
#ifndef VIRGL4J_FENCES_H
#define VIRGL4J_FENCES_H

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>

typedef void (*v4j_write_fence_cb)(void *cookie, uint32_t fence);
typedef int (*v4j_get_drm_fd_cb)(void *cookie);
typedef void (*v4j_write_context_fence_cb)(void *cookie, uint32_t ctx_id, uint32_t ring_idx,
                                           uint64_t fence_id);

/* Layout of struct virgl_renderer_callbacks at version 3 (virglrenderer.h, unstable part). */
struct v4j_renderer_callbacks_v3 {
   int version;
   v4j_write_fence_cb write_fence;
   void *create_gl_context;
   void *destroy_gl_context;
   void *make_current;
   v4j_get_drm_fd_cb get_drm_fd;
   v4j_write_context_fence_cb write_context_fence;
   void *get_server_fd;
};

/*
 * write_fence without a trip into Java. virglrenderer calls it on the thread that polls it
 * (virgl_renderer_poll, our render thread) with the newest fence id retired; fences retire in
 * order, so that id is all we need. It is stored in the uint32_t the init cookie points at, and
 * Java reads it there after each poll. (A JNI upcall per fence, with the Pointer JavaCPP
 * allocates for the cookie, was ~5% of the render thread's time in a glmark2 texture frame.)
 */
static void v4j_store_fence(void *cookie, uint32_t fence)
{
   __atomic_store_n((uint32_t *)cookie, fence, __ATOMIC_RELEASE);
}

/* Makes v4j_store_fence the table's write_fence (versions 1 and 2). */
static inline void v4j_callbacks_store_fence(struct virgl_renderer_callbacks *cbs)
{
   cbs->write_fence = v4j_store_fence;
}

/* Makes v4j_store_fence the version-3 table's write_fence. */
static inline void v4j_callbacks_v3_store_fence(struct v4j_renderer_callbacks_v3 *cbs)
{
   cbs->write_fence = v4j_store_fence;
}

/* VIRGL_RENDERER_FENCE_FLAG_MERGEABLE: consecutive fences of one context may retire as one. */
#define V4J_FENCE_FLAG_MERGEABLE 1

typedef int (*v4j_context_create_fence_fn)(uint32_t ctx_id, uint32_t flags, uint32_t ring_idx,
                                           uint64_t fence_id);

static v4j_context_create_fence_fn v4j_context_create_fence_ptr(void)
{
   static int looked_up;
   static v4j_context_create_fence_fn fn;
   if (!looked_up) {
      /* The JNI library links libvirglrenderer.so.1, so it is loaded already (RTLD_NOLOAD). */
      void *lib = dlopen("libvirglrenderer.so.1", RTLD_LAZY | RTLD_NOLOAD);
      if (lib) {
         fn = (v4j_context_create_fence_fn)dlsym(lib, "virgl_renderer_context_create_fence");
         dlclose(lib);
      }
      looked_up = 1;
   }
   return fn;
}

/* Whether the loaded virglrenderer has per-context fences. */
static inline int v4j_has_context_fences(void)
{
   return v4j_context_create_fence_ptr() != NULL;
}

/* virgl_renderer_init with version-3 callbacks (the struct is a prefix-compatible extension). */
static inline int v4j_renderer_init_v3(void *cookie, int flags, struct v4j_renderer_callbacks_v3 *cbs)
{
   return virgl_renderer_init(cookie, flags, (struct virgl_renderer_callbacks *)cbs);
}

/*
 * virgl_renderer_context_create_fence: fence_id retires through write_context_fence(ctx_id,
 * ring_idx, fence_id). Returns its result (0, or an errno of either sign), -ENOSYS without it.
 */
static inline int v4j_context_create_fence(uint32_t ctx_id, uint32_t flags, uint32_t ring_idx,
                                           uint64_t fence_id)
{
   v4j_context_create_fence_fn fn = v4j_context_create_fence_ptr();
   return fn ? fn(ctx_id, flags, ring_idx, fence_id) : -ENOSYS;
}

#endif
