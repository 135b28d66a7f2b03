package io.livepush.deploy;

/** {@code registry:5000/livepush/server:0.1.0} as its name and tag (empty without one; a digest stays in the name). */
record ImageReference(String name, String tag) {
    static ImageReference parse(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') && !image.contains("@")
                ? new ImageReference(image.substring(0, colon), image.substring(colon + 1))
                : new ImageReference(image, "");
    }
}
