/**
 * The guest side of the virgl 3D protocol: a small encoder for virgl command streams (the bytes
 * a guest's Mesa puts into SUBMIT_3D), used by the demo, the JShell snippets and tests. Command
 * and object numbers are facts from virglrenderer's src/virgl_protocol.h.
 */
package io.github.virgl4j.virgl;
