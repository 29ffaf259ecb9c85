package dev.cleanroom.plugins.container;

/** What the built-in types accept as {@code image}, checked while the file is read. */
public final class ImageReference {

    private ImageReference() {}

    /** name[:tag][@digest], the name in lower case as Docker requires, at most 255 characters. */
    public static boolean isValid(String image) {
        if (image.length() > 255) {
            return false;
        }
        String rest = image.replaceFirst("@sha256:[a-f0-9]{64}$", "");
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        String name = colon > slash ? rest.substring(0, colon) : rest;
        String tag = colon > slash ? rest.substring(colon + 1) : "latest";
        return name.matches(
                        "[a-z0-9]+(?:(?:[._-]|__|[-]*)[a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._-]|__|[-]*)[a-z0-9]+)*)*")
                && tag.matches("[\\w][\\w.-]{0,127}");
    }

    /** Whether it names a tag or a digest (a registry's port is not a tag). */
    public static boolean hasTag(String image) {
        int slash = image.lastIndexOf('/');
        return image.contains("@") || image.lastIndexOf(':') > slash;
    }
}
