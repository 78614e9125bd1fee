package io.github.virgl4j.device;

import io.github.virgl4j.renderer.ResourceCreateArgs;

/** A resource that lives in virglrenderer; its renderer handle is the guest's id. */
final class Resource3d extends Resource {
    final ResourceCreateArgs args;

    Resource3d(int id, ResourceCreateArgs args, long hostBytes) {
        super(id, hostBytes);
        this.args = args;
    }

    @Override
    int width() {
        return args.width();
    }

    @Override
    int height() {
        return args.height();
    }
}
