/*
 * virgl4j test client: rewrites a texture while a draw that samples it is still queued, the way
 * Mesa's virgl driver then uploads through a staging buffer (VIRGL_CCMD_COPY_TRANSFER3D) instead
 * of waiting. It opens a mapped 128x128 GLX window, draws the window-sized 128x128 RGBA texture
 * A on the left half, replaces the whole texture with B (glTexSubImage2D, no flush in between:
 * the texture is referenced by the pending command buffer, so the driver does not wait), draws B
 * on the right half, reads the back buffer with glReadPixels and writes it as a binary PPM to
 * argv[1]. Texels map 1:1 to pixels (nearest filtering), so every row of B, the last one too,
 * is in the picture.
 * Build: cc -O2 -o retexture retexture.c -lGL -lX11
 */
#include "glx_window.h"

#define SIZE 128

static void fill(unsigned char *texels, int variant)
{
   for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
         unsigned char *t = texels + (y * SIZE + x) * 4;
         t[0] = (unsigned char)(x * 2 + variant * 64);
         t[1] = (unsigned char)(y * 2);
         t[2] = (unsigned char)(variant ? 255 - x : x + y);
         t[3] = 255;
      }
   }
}

/* The texture's texels [x0, x0 + SIZE/2) on the window's columns [x0, x0 + SIZE/2). */
static void half(int x0)
{
   float s0 = (float)x0 / SIZE;
   float s1 = (float)(x0 + SIZE / 2) / SIZE;
   float v0 = 2.0f * x0 / SIZE - 1.0f;
   float v1 = 2.0f * (x0 + SIZE / 2) / SIZE - 1.0f;
   glBegin(GL_QUADS);
   glTexCoord2f(s0, 0.0f);
   glVertex2f(v0, -1.0f);
   glTexCoord2f(s1, 0.0f);
   glVertex2f(v1, -1.0f);
   glTexCoord2f(s1, 1.0f);
   glVertex2f(v1, 1.0f);
   glTexCoord2f(s0, 1.0f);
   glVertex2f(v0, 1.0f);
   glEnd();
}

int main(int argc, char **argv)
{
   static unsigned char texels[SIZE * SIZE * 4];
   struct glx_window w;
   GLuint tex;
   int rc = glx_window_open(&w, SIZE, argc, argv);

   if (rc)
      return rc;
   glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
   glGenTextures(1, &tex);
   glBindTexture(GL_TEXTURE_2D, tex);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
   fill(texels, 0);
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, SIZE, SIZE, 0, GL_RGBA, GL_UNSIGNED_BYTE, texels);
   glEnable(GL_TEXTURE_2D);
   glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
   half(0);
   /* no glFlush: the draw above is still in the driver's command buffer */
   fill(texels, 1);
   glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, SIZE, SIZE, GL_RGBA, GL_UNSIGNED_BYTE, texels);
   half(SIZE / 2);
   return glx_window_write_ppm_and_close(&w, argv[1]);
}
