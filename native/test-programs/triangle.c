/*
 * virgl4j test client: a tiny OpenGL program for comparing vtest servers. It opens a mapped
 * 128x128 GLX window, draws a fixed scene (a clear and a colour-interpolated triangle, fixed
 * function), reads the back buffer with glReadPixels and writes it as a binary PPM to argv[1].
 * Run it with GALLIUM_DRIVER=virpipe against virgl_test_server or ./virgl4j vtest.
 * Build: cc -O2 -o triangle triangle.c -lGL -lX11
 */
#include "glx_window.h"

#define SIZE 128

int main(int argc, char **argv)
{
   struct glx_window w;
   int rc = glx_window_open(&w, SIZE, argc, argv);

   if (rc)
      return rc;
   glBegin(GL_TRIANGLES);
   glColor3f(1.0f, 0.0f, 0.0f);
   glVertex2f(-0.8f, -0.8f);
   glColor3f(0.0f, 1.0f, 0.0f);
   glVertex2f(0.8f, -0.8f);
   glColor3f(0.0f, 0.0f, 1.0f);
   glVertex2f(0.0f, 0.8f);
   glEnd();
   return glx_window_write_ppm_and_close(&w, argv[1]);
}
