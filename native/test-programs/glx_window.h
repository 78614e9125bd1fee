/*
 * Shared by virgl4j's test clients: a mapped, double-buffered RGB GLX window with a current
 * context, and the read-back of its back buffer as a binary PPM. Header-only so that each
 * program still builds with one cc line (cc -O2 -o NAME NAME.c -lGL -lX11).
 */
#ifndef V4J_GLX_WINDOW_H
#define V4J_GLX_WINDOW_H

#include <GL/gl.h>
#include <GL/glx.h>
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>

struct glx_window {
   Display *dpy;
   Window win;
   GLXContext ctx;
   int size;
};

/* Checks the command line (one argument: the output PPM), opens a size x size window, waits
 * until it is mapped, makes a context current on it, prints GL_RENDERER and clears the window to
 * the test background. Returns 0, 2 for a bad command line or 1 after printing why it could
 * not: main returns what this returns when it is not 0. */
static int glx_window_open(struct glx_window *w, int size, int argc, char **argv)
{
   int attrs[] = { GLX_RGBA, GLX_DOUBLEBUFFER, GLX_RED_SIZE, 8, GLX_GREEN_SIZE, 8, GLX_BLUE_SIZE, 8, None };
   XVisualInfo *vi;
   XSetWindowAttributes swa;
   XEvent ev;

   if (argc != 2) {
      fprintf(stderr, "usage: %s OUT.ppm\n", argv[0]);
      return 2;
   }
   w->size = size;
   w->dpy = XOpenDisplay(NULL);
   if (!w->dpy) {
      fprintf(stderr, "cannot open display\n");
      return 1;
   }
   vi = glXChooseVisual(w->dpy, DefaultScreen(w->dpy), attrs);
   if (!vi) {
      fprintf(stderr, "no RGB double-buffered visual\n");
      return 1;
   }
   swa.colormap = XCreateColormap(w->dpy, RootWindow(w->dpy, vi->screen), vi->visual, AllocNone);
   swa.event_mask = StructureNotifyMask;
   w->win = XCreateWindow(w->dpy, RootWindow(w->dpy, vi->screen), 0, 0, size, size, 0, vi->depth, InputOutput,
                          vi->visual, CWColormap | CWEventMask, &swa);
   XMapWindow(w->dpy, w->win);
   do {
      XNextEvent(w->dpy, &ev);
   } while (ev.type != MapNotify);
   w->ctx = glXCreateContext(w->dpy, vi, NULL, True);
   glXMakeCurrent(w->dpy, w->win, w->ctx);
   printf("GL_RENDERER = %s\n", (const char *)glGetString(GL_RENDERER));
   glViewport(0, 0, size, size);
   glClearColor(0.1f, 0.2f, 0.3f, 1.0f);
   glClear(GL_COLOR_BUFFER_BIT);
   return 0;
}

/* glFinish, reads the back buffer, swaps, writes it to path as a binary PPM and closes the
 * window. Returns 0, or 1 if the file cannot be written. */
static int glx_window_write_ppm_and_close(struct glx_window *w, const char *path)
{
   int size = w->size;
   unsigned char *pixels = malloc((size_t)size * size * 3);
   FILE *out;

   if (!pixels) {
      fprintf(stderr, "out of memory\n");
      return 1;
   }
   glFinish();
   glReadBuffer(GL_BACK);
   glPixelStorei(GL_PACK_ALIGNMENT, 1);
   glReadPixels(0, 0, size, size, GL_RGB, GL_UNSIGNED_BYTE, pixels);
   glXSwapBuffers(w->dpy, w->win);

   out = fopen(path, "wb");
   if (!out) {
      perror(path);
      free(pixels);
      return 1;
   }
   fprintf(out, "P6\n%d %d\n255\n", size, size);
   /* glReadPixels returns the bottom row first; PPM wants the top row first */
   for (int y = size - 1; y >= 0; y--)
      fwrite(pixels + (size_t)y * size * 3, 1, (size_t)size * 3, out);
   fclose(out);
   free(pixels);
   glXMakeCurrent(w->dpy, None, NULL);
   glXDestroyContext(w->dpy, w->ctx);
   XDestroyWindow(w->dpy, w->win);
   XCloseDisplay(w->dpy);
   return 0;
}

#endif
