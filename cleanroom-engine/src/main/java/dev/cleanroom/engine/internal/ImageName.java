package dev.cleanroom.engine.internal;

/** The parts of an image reference ({@code [registry/]path[:tag][@digest]}) the engine needs. */
public final class ImageName {

    private ImageName() {}

    /** The reference without its tag or digest; a registry's port is not a tag. */
    public static String repository(String image) {
        int digest = image.indexOf('@');
        String name = digest >= 0 ? image.substring(0, digest) : image;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    /**
     * Whether the reference names a registry, as the docker CLI decides: a first path component
     * with a dot or a port, or {@code localhost}. Without one the image is Docker Hub's.
     */
    public static boolean hasRegistry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }

    /**
     * A Docker Hub image as the mirror serves it: the mirror's prefix before the whole name, as
     * Testcontainers' {@code hub.image.name.prefix} does ({@code postgres:15} with the mirror
     * {@code mirror.corp/hub} is {@code mirror.corp/hub/postgres:15}). An image naming a registry
     * is left as it is.
     */
    public static String mirrored(String mirror, String image) {
        if (hasRegistry(image)) {
            return image;
        }
        String prefix = mirror.strip();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix + "/" + image;
    }
}
