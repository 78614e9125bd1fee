/*
 * virgl4j test client: a tiny OpenGL program for comparing vtest servers. It opens a mapped
 * 128x128 GLX window, draws a fixed scene (a clear and a colour-interpolated triangle, fixed
 * function), reads the back buffer with glReadPixels and writes it as a binary PPM to argv[1].
 * Run it with GALLIUM_DRIVER=virpipe against virgl_test_server or ./virgl4j vtest.
 * Build: cc -O2 -o triangle triangle.c -lGL -lX11
 */
#include <GL/gl.h>
#include <GL/glx.h>
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>

#define SIZE 128

int main(int argc, char **argv)
{
   int attrs[] = { GLX_RGBA, GLX_DOUBLEBUFFER, GLX_RED_SIZE, 8, GLX_GREEN_SIZE, 8, GLX_BLUE_SIZE, 8, None };
   unsigned char pixels[SIZE * SIZE * 3];
   Display *dpy;
   XVisualInfo *vi;
   XSetWindowAttributes swa;
   Window win;
   GLXContext ctx;
   FILE *out;
   XEvent ev;

   if (argc != 2) {
      fprintf(stderr, "usage: %s OUT.ppm\n", argv[0]);
      return 2;
   }
   dpy = XOpenDisplay(NULL);
   if (!dpy) {
      fprintf(stderr, "cannot open display\n");
      return 1;
   }
   vi = glXChooseVisual(dpy, DefaultScreen(dpy), attrs);
   if (!vi) {
      fprintf(stderr, "no RGB double-buffered visual\n");
      return 1;
   }
   swa.colormap = XCreateColormap(dpy, RootWindow(dpy, vi->screen), vi->visual, AllocNone);
   swa.event_mask = StructureNotifyMask;
   win = XCreateWindow(dpy, RootWindow(dpy, vi->screen), 0, 0, SIZE, SIZE, 0, vi->depth, InputOutput,
                       vi->visual, CWColormap | CWEventMask, &swa);
   XMapWindow(dpy, win);
   do {
      XNextEvent(dpy, &ev);
   } while (ev.type != MapNotify);
   ctx = glXCreateContext(dpy, vi, NULL, True);
   glXMakeCurrent(dpy, win, ctx);
   printf("GL_RENDERER = %s\n", (const char *)glGetString(GL_RENDERER));

   glViewport(0, 0, SIZE, SIZE);
   glClearColor(0.1f, 0.2f, 0.3f, 1.0f);
   glClear(GL_COLOR_BUFFER_BIT);
   glBegin(GL_TRIANGLES);
   glColor3f(1.0f, 0.0f, 0.0f);
   glVertex2f(-0.8f, -0.8f);
   glColor3f(0.0f, 1.0f, 0.0f);
   glVertex2f(0.8f, -0.8f);
   glColor3f(0.0f, 0.0f, 1.0f);
   glVertex2f(0.0f, 0.8f);
   glEnd();
   glFinish();
   glReadBuffer(GL_BACK);
   glPixelStorei(GL_PACK_ALIGNMENT, 1);
   glReadPixels(0, 0, SIZE, SIZE, GL_RGB, GL_UNSIGNED_BYTE, pixels);
   glXSwapBuffers(dpy, win);

   out = fopen(argv[1], "wb");
   if (!out) {
      perror(argv[1]);
      return 1;
   }
   fprintf(out, "P6\n%d %d\n255\n", SIZE, SIZE);
   /* glReadPixels returns the bottom row first; PPM wants the top row first */
   for (int y = SIZE - 1; y >= 0; y--)
      fwrite(pixels + y * SIZE * 3, 1, SIZE * 3, out);
   fclose(out);
   glXMakeCurrent(dpy, None, NULL);
   glXDestroyContext(dpy, ctx);
   XDestroyWindow(dpy, win);
   XCloseDisplay(dpy);
   return 0;
}
