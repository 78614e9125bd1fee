/*
 * virgl4j's own native helpers, compiled into the same JNI library as the virglrenderer binding.
 *
 *  - a log shim: virglrenderer's debug callback takes a va_list, which Java cannot receive;
 *    we format it here and hand Java one finished line;
 *  - an OpenGL probe that asks EGL which driver a headless context gets (for Renderer.info());
 *  - the few POSIX calls the JDK does not offer: Unix sockets with SCM_RIGHTS fd passing,
 *    memfd, mmap, eventfd, poll. Every function returns -errno (or NULL) on failure, never aborts.
 */
#ifndef VIRGL4J_NATIVE_H
#define VIRGL4J_NATIVE_H

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <epoxy/egl.h>
#include <epoxy/gl.h>
#include <gbm.h>

/* ---- log shim -------------------------------------------------------------------------- */

typedef void (*v4j_log_sink)(const char *line);

static v4j_log_sink v4j_current_log_sink = NULL;

static void v4j_log_trampoline(const char *fmt, va_list ap)
{
   char line[1024];
   if (!v4j_current_log_sink)
      return;
   vsnprintf(line, sizeof(line), fmt, ap);
   v4j_current_log_sink(line);
}

/* Routes virglrenderer's debug output to sink (NULL drops it). Call on the render thread. */
static inline void v4j_set_log_sink(v4j_log_sink sink)
{
   v4j_current_log_sink = sink;
   virgl_set_debug_callback(v4j_log_trampoline);
}

/* ---- OpenGL probe ---------------------------------------------------------------------- */

/*
 * Creates a throw-away EGL context the way virglrenderer will (surfaceless Mesa platform, or GBM
 * on render_node_fd >= 0), writes "vendor\nrenderer\nversion" into out and tears it down.
 * Returns 0, or a negative step number saying where EGL failed.
 */
static inline int v4j_gl_probe(int render_node_fd, int gles, char *out, int out_len)
{
   EGLDisplay dpy;
   EGLContext ctx;
   EGLint major, minor;
   struct gbm_device *gbm = NULL;
   const EGLint gl_attrs[] = { EGL_CONTEXT_MAJOR_VERSION, gles ? 2 : 3,
                               EGL_CONTEXT_MINOR_VERSION, gles ? 0 : 1, EGL_NONE };
   int ret = 0;

   if (out_len > 0)
      out[0] = '\0';
   if (render_node_fd >= 0) {
      gbm = gbm_create_device(render_node_fd);
      if (!gbm)
         return -1;
      dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_GBM_MESA, gbm, NULL);
   } else {
      dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
   }
   if (dpy == EGL_NO_DISPLAY) {
      ret = -2;
      goto out_gbm;
   }
   if (!eglInitialize(dpy, &major, &minor)) {
      ret = -3;
      goto out_gbm;
   }
   if (!eglBindAPI(gles ? EGL_OPENGL_ES_API : EGL_OPENGL_API)) {
      ret = -4;
      goto out_gbm;
   }
   ctx = eglCreateContext(dpy, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, gl_attrs);
   if (ctx == EGL_NO_CONTEXT) {
      ret = -5;
      goto out_gbm;
   }
   if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
      eglDestroyContext(dpy, ctx);
      ret = -6;
      goto out_gbm;
   }
   snprintf(out, out_len, "%s\n%s\n%s", (const char *)glGetString(GL_VENDOR),
            (const char *)glGetString(GL_RENDERER), (const char *)glGetString(GL_VERSION));
   eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
   eglDestroyContext(dpy, ctx);
out_gbm:
   if (gbm)
      gbm_device_destroy(gbm);
   return ret;
}

/* ---- POSIX helpers --------------------------------------------------------------------- */

static inline int v4j_errno(void) { return errno; }

/* open(path, O_RDWR | O_CLOEXEC): used for DRM render nodes. Returns the fd or -errno. */
static inline int v4j_open_rw(const char *path)
{
   int fd = open(path, O_RDWR | O_CLOEXEC);
   return fd < 0 ? -errno : fd;
}

/*
 * Whether a shared library can be loaded (dlopen + dlclose). libepoxy dlopens libEGL.so.1 and
 * the GL libraries on first use and abort()s the whole process when one is missing, so the
 * renderer asks first.
 */
static inline int v4j_can_dlopen(const char *name)
{
   void *h = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
   if (!h)
      return 0;
   dlclose(h);
   return 1;
}

/* setenv() for Mesa variables that must be set before EGL starts (LIBGL_ALWAYS_SOFTWARE). */
static inline int v4j_setenv(const char *name, const char *value)
{
   return setenv(name, value, 1) < 0 ? -errno : 0;
}

static inline int v4j_close(int fd) { return close(fd) < 0 ? -errno : 0; }

static inline int v4j_shutdown(int fd) { return shutdown(fd, SHUT_RDWR) < 0 ? -errno : 0; }

static inline int v4j_unlink(const char *path) { return unlink(path) < 0 ? -errno : 0; }

static int v4j_fill_sockaddr(struct sockaddr_un *addr, const char *path)
{
   memset(addr, 0, sizeof(*addr));
   addr->sun_family = AF_UNIX;
   if (strlen(path) >= sizeof(addr->sun_path))
      return -ENAMETOOLONG;
   strcpy(addr->sun_path, path);
   return 0;
}

/* A listening SOCK_STREAM Unix socket at path (close-on-exec). Returns the fd or -errno. */
static inline int v4j_unix_listen(const char *path, int backlog)
{
   struct sockaddr_un addr;
   int fd, ret = v4j_fill_sockaddr(&addr, path);
   if (ret < 0)
      return ret;
   fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0)
      return -errno;
   if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, backlog) < 0) {
      ret = -errno;
      close(fd);
      return ret;
   }
   return fd;
}

static inline int v4j_unix_connect(const char *path)
{
   struct sockaddr_un addr;
   int fd, ret = v4j_fill_sockaddr(&addr, path);
   if (ret < 0)
      return ret;
   fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0)
      return -errno;
   if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
      ret = -errno;
      close(fd);
      return ret;
   }
   return fd;
}

static inline int v4j_accept(int listen_fd)
{
   int fd;
   do {
      fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
   } while (fd < 0 && errno == EINTR);
   return fd < 0 ? -errno : fd;
}

/* Reads up to len bytes. Returns the count (0 at end of stream) or -errno. */
static inline long v4j_read(int fd, void *buf, long len)
{
   ssize_t n;
   do {
      n = read(fd, buf, (size_t)len);
   } while (n < 0 && errno == EINTR);
   return n < 0 ? -errno : (long)n;
}

/* Writes all len bytes (MSG_NOSIGNAL: a closed peer is -EPIPE, not a signal). */
static inline long v4j_write_all(int fd, const void *buf, long len)
{
   const char *p = (const char *)buf;
   long left = len;
   while (left > 0) {
      ssize_t n = send(fd, p, (size_t)left, MSG_NOSIGNAL);
      if (n < 0 && errno == ENOTSOCK)
         n = write(fd, p, (size_t)left);
      if (n < 0) {
         if (errno == EINTR)
            continue;
         return -errno;
      }
      p += n;
      left -= n;
   }
   return len;
}

/*
 * recvmsg() that also collects SCM_RIGHTS descriptors into fds (at most max_fds; extra ones
 * are closed so a hostile peer cannot leak descriptors into us). *nfds gets the count.
 */
static inline long v4j_recv_with_fds(int fd, void *buf, long len, int *fds, int max_fds, int *nfds)
{
   char control[CMSG_SPACE(sizeof(int) * 16)];
   struct iovec iov;
   struct msghdr msg;
   struct cmsghdr *cmsg;
   ssize_t n;
   int got = 0;

   iov.iov_base = buf;
   iov.iov_len = (size_t)len;
   memset(&msg, 0, sizeof(msg));
   msg.msg_iov = &iov;
   msg.msg_iovlen = 1;
   msg.msg_control = control;
   msg.msg_controllen = sizeof(control);
   do {
      n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
   } while (n < 0 && errno == EINTR);
   if (n < 0)
      return -errno;
   for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
      if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
         int count = (int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
         int *in = (int *)CMSG_DATA(cmsg);
         for (int i = 0; i < count; i++) {
            if (got < max_fds)
               fds[got++] = in[i];
            else
               close(in[i]);
         }
      }
   }
   *nfds = got;
   return (long)n;
}

/* sendmsg() of len bytes with nfds (<= 16) descriptors as SCM_RIGHTS, with send flags. */
static long v4j_sendmsg_fds(int fd, const void *buf, long len, const int *fds, int nfds, int flags)
{
   char control[CMSG_SPACE(sizeof(int) * 16)];
   struct iovec iov;
   struct msghdr msg;
   ssize_t n;

   if (nfds < 0 || nfds > 16)
      return -EINVAL;
   iov.iov_base = (void *)buf;
   iov.iov_len = (size_t)len;
   memset(&msg, 0, sizeof(msg));
   msg.msg_iov = &iov;
   msg.msg_iovlen = 1;
   if (nfds > 0) {
      struct cmsghdr *cmsg;
      memset(control, 0, sizeof(control));
      msg.msg_control = control;
      msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
      cmsg = CMSG_FIRSTHDR(&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
      memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nfds);
   }
   do {
      n = sendmsg(fd, &msg, flags | MSG_NOSIGNAL);
   } while (n < 0 && errno == EINTR);
   return n < 0 ? -errno : (long)n;
}

/* sendmsg() of len bytes with nfds descriptors attached as SCM_RIGHTS (nfds <= 16). */
static inline long v4j_send_with_fds(int fd, const void *buf, long len, const int *fds, int nfds)
{
   return v4j_sendmsg_fds(fd, buf, len, fds, nfds, 0);
}

/* An anonymous shared-memory file of size bytes (memfd, close-on-exec). */
static inline int v4j_memfd(const char *name, long size)
{
   int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
   if (fd < 0)
      return -errno;
   if (ftruncate(fd, (off_t)size) < 0) {
      int ret = -errno;
      close(fd);
      return ret;
   }
   return fd;
}

/* Maps size bytes of fd at offset, shared. Returns NULL on failure (see v4j_errno). */
static inline void *v4j_mmap_shared(int fd, long size, long offset, int writable)
{
   void *p = mmap(NULL, (size_t)size, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd,
                  (off_t)offset);
   return p == MAP_FAILED ? NULL : p;
}

static inline int v4j_munmap(void *addr, long size)
{
   return munmap(addr, (size_t)size) < 0 ? -errno : 0;
}

/* Size of the file behind fd, or -errno. */
static inline long v4j_fd_size(int fd)
{
   struct stat st;
   return fstat(fd, &st) < 0 ? -errno : (long)st.st_size;
}

static inline int v4j_eventfd(unsigned int initval, int nonblocking)
{
   int fd = eventfd(initval, EFD_CLOEXEC | (nonblocking ? EFD_NONBLOCK : 0));
   return fd < 0 ? -errno : fd;
}

/* Reads an eventfd counter: >= 0 value, or -errno (-EAGAIN when non-blocking and zero). */
static inline long v4j_eventfd_read(int fd)
{
   eventfd_t value;
   return eventfd_read(fd, &value) < 0 ? -errno : (long)value;
}

static inline int v4j_eventfd_write(int fd, long value)
{
   return eventfd_write(fd, (eventfd_t)value) < 0 ? -errno : 0;
}

/*
 * poll() for POLLIN on nfds descriptors; ready[i] is set to the revents of fds[i].
 * Returns the number of ready descriptors, 0 on timeout, or -errno.
 */
static inline int v4j_poll_in(const int *fds, short *ready, int nfds, int timeout_ms)
{
   struct pollfd pfds[64];
   int n;
   if (nfds < 0 || nfds > 64)
      return -EINVAL;
   for (int i = 0; i < nfds; i++) {
      pfds[i].fd = fds[i];
      pfds[i].events = POLLIN;
      pfds[i].revents = 0;
   }
   n = poll(pfds, (nfds_t)nfds, timeout_ms);
   if (n < 0 && errno == EINTR)
      n = 0; /* a signal: report nothing ready (ready[] is still written below) */
   else if (n < 0)
      return -errno;
   for (int i = 0; i < nfds; i++)
      ready[i] = pfds[i].revents;
   return n;
}

/*
 * poll() with per-descriptor events (POLLIN = 1, POLLOUT = 4); revents[i] gets what fds[i]
 * reported (POLLERR, POLLHUP and POLLNVAL included). At most 1024 descriptors. Returns the
 * number of ready descriptors, 0 on timeout or signal, or -errno.
 */
static inline int v4j_poll(const int *fds, const short *events, short *revents, int nfds, int timeout_ms)
{
   struct pollfd pfds[1024];
   int n;
   if (nfds < 0 || nfds > 1024)
      return -EINVAL;
   for (int i = 0; i < nfds; i++) {
      pfds[i].fd = fds[i];
      pfds[i].events = events[i];
      pfds[i].revents = 0;
   }
   n = poll(pfds, (nfds_t)nfds, timeout_ms);
   if (n < 0 && errno == EINTR)
      n = 0;
   else if (n < 0)
      return -errno;
   for (int i = 0; i < nfds; i++)
      revents[i] = pfds[i].revents;
   return n;
}

/* recv() that never blocks: the count, 0 at end of stream, -EAGAIN when nothing is there. */
static inline long v4j_recv_dontwait(int fd, void *buf, long len)
{
   ssize_t n;
   do {
      n = recv(fd, buf, (size_t)len, MSG_DONTWAIT);
   } while (n < 0 && errno == EINTR);
   return n < 0 ? -errno : (long)n;
}

/*
 * sendmsg() that never blocks, of len bytes with nfds (<= 16) descriptors as SCM_RIGHTS:
 * the count sent (the descriptors went with the first byte), or -EAGAIN when the socket is
 * full, or -errno (a closed peer is -EPIPE, never SIGPIPE).
 */
static inline long v4j_send_dontwait(int fd, const void *buf, long len, const int *fds, int nfds)
{
   return v4j_sendmsg_fds(fd, buf, len, fds, nfds, MSG_DONTWAIT);
}

/* dup() with close-on-exec: the copy a queued reply keeps until it is sent. */
static inline int v4j_dup(int fd)
{
   int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
   return copy < 0 ? -errno : copy;
}


/* ---- vhost-user helpers ---------------------------------------------------------------- */

/* The system page size (mmap offsets must be multiples of it). */
static inline long v4j_page_size(void)
{
   long n = sysconf(_SC_PAGESIZE);
   return n > 0 ? n : 4096;
}

/*
 * Maps size bytes of fd at offset (a page multiple), shared and writable, and returns the address
 * as a number (so Java can keep it as a long), or -errno. Addresses of user mappings on x86-64 are
 * below 2^47, so a negative return is always an error.
 */
static inline long v4j_mmap_addr(int fd, long size, long offset)
{
   void *p;
   if (size <= 0 || offset < 0)
      return -EINVAL;
   p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
   return p == MAP_FAILED ? -errno : (long)(unsigned long)p;
}

/* munmap() of a mapping made by v4j_mmap_addr. Returns 0 or -errno. */
static inline int v4j_munmap_addr(long addr, long size)
{
   return munmap((void *)(unsigned long)addr, (size_t)size) < 0 ? -errno : 0;
}

/* Whether fd is open (fcntl F_GETFD): 1, or 0 when closed. For leak checks. */
static inline int v4j_fd_is_open(int fd)
{
   return fcntl(fd, F_GETFD) < 0 ? 0 : 1;
}

/* Reads exactly len bytes unless the stream ends: returns len, the short count at end, or -errno. */
static inline long v4j_read_full(int fd, void *buf, long len)
{
   char *p = (char *)buf;
   long got = 0;
   while (got < len) {
      ssize_t n = read(fd, p + got, (size_t)(len - got));
      if (n < 0) {
         if (errno == EINTR)
            continue;
         return -errno;
      }
      if (n == 0)
         break;
      got += n;
   }
   return got;
}


/* A connected pair of SOCK_STREAM Unix sockets (close-on-exec) in fds[0], fds[1]. 0 or -errno. */
static inline int v4j_socketpair(int *fds)
{
   return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0 ? -errno : 0;
}

#endif
