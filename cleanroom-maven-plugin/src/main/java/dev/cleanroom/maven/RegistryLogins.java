package dev.cleanroom.maven;

import dev.cleanroom.engine.api.RegistryLogin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * The settings.xml {@code <server>}s with a username and password, by id, passwords decrypted
 * by Maven (settings-security.xml), as DMP and Jib read them: a pull from a registry whose host
 * is such an id uses that login when the docker config has none.
 */
final class RegistryLogins {

    private RegistryLogins() {}

    static Map<String, RegistryLogin> from(Settings settings, SettingsDecrypter decrypter, Log log) {
        Map<String, RegistryLogin> logins = new LinkedHashMap<>();
        if (settings == null) {
            return logins;
        }
        for (Server server : settings.getServers()) {
            if (server.getId() == null || server.getUsername() == null || server.getPassword() == null) {
                continue;
            }
            decrypted(server, decrypter, log)
                    .ifPresent(
                            password -> logins.put(server.getId(), new RegistryLogin(server.getUsername(), password)));
        }
        return logins;
    }

    /** Its password as Maven decrypts it; empty (and a warning without the password) when it cannot. */
    private static Optional<String> decrypted(Server server, SettingsDecrypter decrypter, Log log) {
        if (decrypter == null) {
            return Optional.of(server.getPassword());
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                log.warn("The password of settings.xml server `" + server.getId() + "` cannot be decrypted ("
                        + problem.getMessage() + "); it is not used for registry pulls. Perhaps you should check "
                        + "~/.m2/settings-security.xml (mvn --encrypt-password).");
                return Optional.empty();
            }
        }
        return Optional.ofNullable(result.getServer()).map(Server::getPassword);
    }
}
