package io.github.virgl4j.stream;

import io.github.virgl4j.device.Frame;

/** A frame a request produced, with where it came from. */
public record CapturedFrame(FrameKind kind, int sourceId, Frame frame) {
}
