/**
 * The virgl 3D protocol: a small encoder for virgl command streams (the bytes a guest's Mesa puts
 * into SUBMIT_3D), used by the demo, the JShell snippets and tests; and
 * {@link io.github.virgl4j.virgl.VirglStreamTranslator}, which checks a guest's stream against the
 * protocol's command layouts and rewrites its resource handles from the guest's ids to the
 * renderer's. Command and object numbers and layouts are facts from virglrenderer's
 * src/virgl_protocol.h and src/vrend_decode.c.
 */
package io.github.virgl4j.virgl;
