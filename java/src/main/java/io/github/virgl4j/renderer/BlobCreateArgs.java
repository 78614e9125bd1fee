package io.github.virgl4j.renderer;

/**
 * Arguments of {@code virgl_renderer_resource_create_blob} besides the handle and the guest
 * storage (virtio spec 5.7.6.8, RESOURCE_CREATE_BLOB).
 *
 * @param ctxId     renderer context that made the object named by blobId (HOST3D*)
 * @param blobMem   1 GUEST, 2 HOST3D, 3 HOST3D_GUEST
 * @param blobFlags USE_MAPPABLE 1, USE_SHAREABLE 2, USE_CROSS_DEVICE 4
 * @param blobId    the context-local object (for virgl: a PIPE_RESOURCE_CREATE's blob_id)
 * @param size      bytes
 */
public record BlobCreateArgs(int ctxId, int blobMem, int blobFlags, long blobId, long size) {
}
