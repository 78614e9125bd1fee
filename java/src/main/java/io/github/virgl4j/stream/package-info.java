/**
 * Record and replay of guest command streams: {@link io.github.virgl4j.stream.StreamRecorder}
 * taps a {@link io.github.virgl4j.device.VirtioGpu} and writes every request, the guest bytes it
 * read and the frames it produced into a stream file; {@link io.github.virgl4j.stream.StreamReplayer}
 * feeds such a file to a fresh device and compares the frames. The file format is described in
 * {@link io.github.virgl4j.stream.StreamFormat}.
 */
package io.github.virgl4j.stream;
