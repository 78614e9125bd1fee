/*
 * Definitions that virglrenderer.h only forward-declares.
 *
 * virglrenderer.h declares `struct iovec` and `struct virgl_box` without bodies. The C compiler
 * is happy with that, but the JavaCPP parser needs the layouts to generate accessors. The layouts
 * are facts, not code: struct iovec is POSIX <sys/uio.h>; struct virgl_box is six uint32_t
 * (x, y, z, w, h, d) as in virglrenderer's src/virgl_hw.h, which is not installed.
 *
 * VIRGL4J_JNI_COMPILE is defined only in the generated JNI source (see the presets class), so
 * the compiler takes the real <sys/uio.h> while the parser reads the spelled-out body.
 */
#ifndef VIRGL4J_TYPES_H
#define VIRGL4J_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef VIRGL4J_JNI_COMPILE
#include <sys/uio.h>
#else
struct iovec {
   void *iov_base;
   size_t iov_len;
};
#endif

struct virgl_box {
   uint32_t x, y, z;
   uint32_t w, h, d;
};

#endif
