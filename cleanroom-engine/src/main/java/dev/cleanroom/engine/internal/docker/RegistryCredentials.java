package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Credentials for one registry, and where they came from ({@code source}, e.g. "credential
 * helper `desktop` (credsStore in /home/me/.docker/config.json)"), which errors name.
 *
 * <p>toString names the source only: neither the username nor the secret can reach a log or an
 * exception text through it.
 *
 * @param identityToken true when {@code secret} is an OAuth identity (refresh) token, not a password
 */
public record RegistryCredentials(
        String username, String secret, boolean identityToken, String serverAddress, String source) {

    /** The value of the X-Registry-Auth header: base64url JSON, as the Engine API documents it. */
    String header() {
        Map<String, Object> auth = new LinkedHashMap<>();
        if (identityToken) {
            auth.put("identitytoken", secret);
        } else {
            auth.put("username", username);
            auth.put("password", secret);
        }
        auth.put("serveraddress", serverAddress);
        return Base64.getUrlEncoder().encodeToString(Json.write(auth).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[from " + source + "]";
    }
}
