package io.github.virgl4j.transport.vtest;

/** A transfer box: origin and size in texels/layers, raw unsigned dwords from the wire. */
public record VtestBox(int x, int y, int z, int width, int height, int depth) {
}
