package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.ContainerRuntime.LabeledResource;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's networks: created, joined by this build's own container when it runs in one (to
 * reach the services at their addresses there), left and removed again.
 */
final class Networks {

    private final DockerApi api;
    private final ServiceReach reach;
    private final EngineLog log;

    Networks(DockerApi api, ServiceReach reach, EngineLog log) {
        this.api = api;
        this.reach = reach;
        this.log = log;
    }

    String create(String name, Map<String, String> labels) throws CleanroomException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", name);
        body.put("Driver", "bridge");
        body.put("CheckDuplicate", true);
        body.put("Labels", labels);
        String id;
        try {
            id = Listings.createdId(api.callForObject("POST", "/networks/create", body));
        } catch (IOException e) {
            throw DaemonFailures.failure("Could not create network " + name + ": " + DaemonFailures.said(e), e);
        }
        if (reach.joinsRunNetwork()) {
            join(id, name);
        }
        return id;
    }

    /** The build's own container joins the run's new network, to reach the services at their IPs there. */
    private void join(String networkId, String name) throws CleanroomException {
        try {
            connectSelf(networkId, name);
        } catch (IOException e) {
            try {
                remove(networkId);
            } catch (CleanroomException removal) {
                e.addSuppressed(removal);
            }
            throw joinFailure(name, e);
        }
    }

    /**
     * The build's own container joins a network an earlier build created and left for reuse: that
     * build's create joined its own container, not this one (a new CI job, another devcontainer
     * session), which could not reach the services it adopts there. Not twice: a build whose
     * adoption sends it back for the lock looks for the network again, and an earlier build in the
     * same container left it on it. The network is never removed here: it is the next build's too.
     */
    void joinExisting(String networkId) throws CleanroomException {
        if (!reach.joinsRunNetwork()) {
            return;
        }
        String self = reach.containerId().orElseThrow();
        String name = networkId;
        try {
            Map<String, Object> inspected = api.callForObject("GET", "/networks/" + networkId, null);
            name = Json.string(inspected, "Name").orElse(networkId);
            if (NetworkInspect.of(inspected).attached().containsKey(self)) {
                return;
            }
            connectSelf(networkId, name);
        } catch (IOException e) {
            throw joinFailure(name, e);
        }
    }

    private void connectSelf(String networkId, String name) throws IOException {
        String self = reach.containerId().orElseThrow();
        api.call("POST", "/networks/" + networkId + "/connect", Map.of("Container", self));
        log.debug("This build's container " + self + " joined network " + name);
    }

    private CleanroomException joinFailure(String name, IOException e) {
        return DaemonFailures.failure(
                "Could not connect this build's container "
                        + reach.containerId().orElseThrow() + " to network " + name
                        + " (" + DaemonFailures.said(e)
                        + "), so it could not reach the services there. Perhaps you should "
                        + "set -D" + ServiceReach.OVERRIDE_PROPERTY + "= (or " + ServiceReach.OVERRIDE_ENV
                        + ") to an "
                        + "address of the Docker host this container reaches published ports on, e.g. its bridge gateway "
                        + "172.17.0.1",
                e);
    }

    void remove(String networkId) throws CleanroomException {
        if (reach.joinsRunNetwork()) {
            // This build's container joined it; it must leave before the network can go.
            reach.containerId().ifPresent(self -> disconnect(networkId, self));
        }
        try {
            delete(networkId);
        } catch (IOException e) {
            if (!DaemonFailures.activeEndpoints(e)) {
                throw DaemonFailures.failure(
                        "Could not remove network " + networkId + ": " + DaemonFailures.said(e), e);
            }
            // A build's container that joined it (a dead build's, found by a sweep) still holds it.
            disconnectJoinedBuilds(networkId);
            try {
                delete(networkId);
            } catch (IOException again) {
                throw DaemonFailures.failure(
                        "Could not remove network " + networkId + ": " + DaemonFailures.said(again), again);
            }
        }
    }

    /** Disconnects containers that are not the run's (a dead build's that joined it and still runs). */
    private void disconnectJoinedBuilds(String networkId) {
        try {
            NetworkInspect network = NetworkInspect.of(api.callForObject("GET", "/networks/" + networkId, null));
            network.attached().forEach((id, name) -> {
                if (!name.startsWith("clnrm-")) {
                    disconnect(networkId, id);
                }
            });
        } catch (IOException e) {
            log.debug("Could not list what is attached to network " + networkId + ": " + DaemonFailures.said(e));
        }
    }

    private void disconnect(String networkId, String containerId) {
        try {
            api.call("POST", "/networks/" + networkId + "/disconnect", Map.of("Container", containerId, "Force", true));
        } catch (IOException e) {
            // Not connected (any more), or the network is gone: either way it no longer holds the network.
            log.debug("Disconnecting " + containerId + " from network " + networkId + ": " + DaemonFailures.said(e));
        }
    }

    private void delete(String networkId) throws IOException {
        try {
            api.call("DELETE", "/networks/" + networkId, null);
        } catch (IOException e) {
            if (!DaemonFailures.notFound(e)) {
                throw e;
            }
        }
    }

    List<LabeledResource> find(String labelKey) throws CleanroomException {
        try {
            return Listings.networks(api.call("GET", "/networks?filters=" + DockerApi.labelFilter(labelKey), null));
        } catch (IOException e) {
            throw DaemonFailures.failure("Could not list networks: " + DaemonFailures.said(e), e);
        }
    }
}
