package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.plugins.container.ImageReference;

/**
 * A model server's image from {@code image} and {@code tag}: the upstream repository with a pinned
 * tag unless the user says otherwise. A tag written in {@code image} wins; writing both is an error.
 */
final class ServerImage {

    private ServerImage() {}

    static Key<String> imageKey(String repository) {
        return Key.string("image")
                .byDefault(repository)
                .doc("Image repository, or a full reference with a tag "
                        + "(e.g. a mirror or a stand-in); docker run IMAGE");
    }

    static Key<String> tagKey(String pinnedTag) {
        return Key.string("tag")
                .byDefault(pinnedTag)
                .doc("Image tag, used when image names none; docker run IMAGE:TAG");
    }

    static String read(Settings settings, Key<String> imageKey, Key<String> tagKey) {
        String image = settings.get(imageKey);
        String repository = imageKey.defaultValue().orElseThrow();
        if (!ImageReference.isValid(image)) {
            settings.problem(
                    imageKey,
                    "\"" + image + "\" is not a valid image reference",
                    "write name[:tag] in lower case, e.g. image = \"" + repository + "\"");
            return image;
        }
        boolean tagged = ImageReference.hasTag(image);
        String tag = settings.get(tagKey);
        if (settings.has(tagKey)) {
            if (!tag.matches("[\\w][\\w.-]{0,127}")) {
                settings.problem(
                        tagKey,
                        "\"" + tag + "\" is not a valid tag",
                        "write e.g. tag = \"" + tagKey.defaultValue().orElseThrow() + "\"");
            } else if (tagged) {
                settings.problem(
                        tagKey,
                        "image \"" + image + "\" already names a tag or digest",
                        "remove tag, or write image without its tag");
            }
        }
        return tagged ? image : image + ":" + tag;
    }
}
