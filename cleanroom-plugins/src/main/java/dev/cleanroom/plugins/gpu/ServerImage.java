package dev.cleanroom.plugins.gpu;

import static dev.cleanroom.engine.config.ConfigKey.optional;

import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import java.util.List;

/**
 * A model server's image from {@code image} and {@code tag}: the upstream repository with a pinned
 * tag unless the user says otherwise. A tag written in {@code image} wins; writing both is an error.
 */
public final class ServerImage {

    private ServerImage() {
    }

    public static List<ConfigKey> keys(String repository, String pinnedTag) {
        return List.of(
                optional("image", ValueType.STRING, repository, "Image repository, or a full reference with a tag "
                        + "(e.g. a mirror or a stand-in); docker run IMAGE"),
                optional("tag", ValueType.STRING, pinnedTag, "Image tag, used when image names none; docker run IMAGE:TAG"));
    }

    public static String read(ServiceConfig config, String repository, String pinnedTag, List<ConfigProblem> problems) {
        String image = config.string("image", repository);
        if (!isReference(image)) {
            problems.add(config.problem("image", "\"" + image + "\" is not a valid image reference",
                    "write name[:tag] in lower case, e.g. image = \"" + repository + "\""));
            return image;
        }
        boolean tagged = hasTag(image);
        if (config.has("tag")) {
            String tag = config.string("tag", "");
            if (!tag.matches("[\\w][\\w.-]{0,127}")) {
                problems.add(config.problem("tag", "\"" + tag + "\" is not a valid tag",
                        "write e.g. tag = \"" + pinnedTag + "\""));
            } else if (tagged) {
                problems.add(config.problem("tag", "image \"" + image + "\" already names a tag or digest",
                        "remove tag, or write image without its tag"));
            }
            return tagged ? image : image + ":" + tag;
        }
        return tagged ? image : image + ":" + pinnedTag;
    }

    static boolean hasTag(String image) {
        int slash = image.lastIndexOf('/');
        return image.contains("@") || image.lastIndexOf(':') > slash;
    }

    static boolean isReference(String image) {
        if (image.length() > 255) {
            return false;
        }
        String rest = image.replaceFirst("@sha256:[a-f0-9]{64}$", "");
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        String name = colon > slash ? rest.substring(0, colon) : rest;
        String tag = colon > slash ? rest.substring(colon + 1) : "latest";
        return name.matches("[a-z0-9]+(?:(?:[._-]|__|[-]*)[a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._-]|__|[-]*)[a-z0-9]+)*)*")
                && tag.matches("[\\w][\\w.-]{0,127}");
    }
}
