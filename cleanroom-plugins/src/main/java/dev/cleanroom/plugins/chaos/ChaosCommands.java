package dev.cleanroom.plugins.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The argv lists the chaos sidecar runs in the target's network namespace (tc, iptables), and
 * the stressor's arguments. Every rule lives in one chain of our own, so recovery removes
 * exactly what was added.
 */
final class ChaosCommands {

    static final String CHAIN = "CLNRM_CHAOS";
    static final String LATENCY_CHAIN = "CLNRM_CHAOS_LAT";
    static final String PROXY_MARKER = "clnrm-latency-proxy";
    static final int PROXY_PORT = 39999;

    private ChaosCommands() {}

    static List<String> defaultRoute() {
        return List.of("ip", "-o", "route", "show", "default");
    }

    /** "default via 172.18.0.1 dev eth0" -> eth0; eth0 when there is no default route. */
    static String deviceOf(String routeOutput) {
        String[] words = routeOutput.trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("dev")) {
                return words[i + 1];
            }
        }
        return "eth0";
    }

    static List<String> iptablesSave() {
        return List.of("iptables-save");
    }

    static List<String> qdiscShow(String device) {
        return List.of("tc", "qdisc", "show", "dev", device);
    }

    /** iptables-save without its timestamps and packet counters, which change by themselves. */
    static String normalizeIptables(String save) {
        StringBuilder out = new StringBuilder();
        for (String line : save.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            out.append(line.replaceAll("\\[\\d+:\\d+\\]", "[0:0]")).append('\n');
        }
        return out.toString();
    }

    /** Drops incoming packets (not loopback) with the given probability, e.g. 30 -> 0.30000. */
    static List<List<String>> addLoss(double percent) {
        String probability = String.format(Locale.ROOT, "%.5f", percent / 100.0);
        return List.of(
                List.of("iptables", "-w", "5", "-N", CHAIN),
                List.of(
                        "iptables",
                        "-w",
                        "5",
                        "-A",
                        CHAIN,
                        "-m",
                        "statistic",
                        "--mode",
                        "random",
                        "--probability",
                        probability,
                        "-j",
                        "DROP"),
                List.of("iptables", "-w", "5", "-I", "INPUT", "1", "!", "-i", "lo", "-j", CHAIN));
    }

    static List<List<String>> removeLoss() {
        return List.of(
                List.of("iptables", "-w", "5", "-D", "INPUT", "!", "-i", "lo", "-j", CHAIN),
                List.of("iptables", "-w", "5", "-F", CHAIN),
                List.of("iptables", "-w", "5", "-X", CHAIN));
    }

    /** What iptables-nft leaves after the last rule and chain of a fresh namespace are gone. */
    static final String EMPTY_FILTER_TABLE =
            "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";

    /** The "*filter ... COMMIT" block of a normalized iptables-save, or "" when there is none. */
    static String filterTable(String normalizedSave) {
        return table(normalizedSave, "filter");
    }

    /** The "*NAME ... COMMIT" block of a normalized iptables-save, or "" when there is none. */
    static String table(String normalizedSave, String name) {
        String head = "*" + name + "\n";
        int start = normalizedSave.startsWith(head) ? 0 : normalizedSave.indexOf("\n" + head) + 1;
        if (!normalizedSave.startsWith(head, start)) {
            return "";
        }
        int end = normalizedSave.indexOf("COMMIT\n", start);
        return end < 0 ? normalizedSave.substring(start) : normalizedSave.substring(start, end + "COMMIT\n".length());
    }

    /**
     * Deletes the filter table our first rule created (iptables-nft cannot delete a table), so
     * iptables-save shows exactly what it showed before. Only used when the table did not exist
     * before and is empty now.
     */
    static List<String> dropEmptyFilterTable() {
        return dropTable("filter");
    }

    static List<String> dropTable(String name) {
        return List.of("nft", "delete", "table", "ip", name);
    }

    /** The nat table iptables-nft leaves once our chain is gone, where Docker had none. */
    static final String EMPTY_NAT_TABLE = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + ":POSTROUTING ACCEPT [0:0]\nCOMMIT\n";

    /** netem with delay, jitter and (instead of tbf, which cannot share the root) rate. */
    static List<String> addNetem(String device, long latencyMs, long jitterMs, long kbit) {
        List<String> argv = new ArrayList<>(
                List.of("tc", "qdisc", "add", "dev", device, "root", "netem", "delay", latencyMs + "ms"));
        if (jitterMs > 0) {
            argv.add(jitterMs + "ms");
        }
        if (kbit > 0) {
            argv.addAll(List.of("rate", kbit + "kbit"));
        }
        return argv;
    }

    static List<String> listeningTcp() {
        return List.of("ss", "-ltnH");
    }

    /**
     * Ports the target serves on other than loopback, from {@code ss -ltnH}: "LISTEN 0 9 *:8080 *:*".
     * Docker's DNS (127.0.0.11) and our own proxy port are left out.
     */
    static List<Integer> servedPorts(String ssOutput) {
        List<Integer> ports = new ArrayList<>();
        for (String line : ssOutput.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 4) {
                continue;
            }
            String local = words[3];
            int colon = local.lastIndexOf(':');
            String address = local.substring(0, Math.max(colon, 0));
            if (colon < 0 || address.startsWith("127.") || address.equals("[::1]")) {
                continue;
            }
            try {
                int port = Integer.parseInt(local.substring(colon + 1));
                if (port != PROXY_PORT && !ports.contains(port)) {
                    ports.add(port);
                }
            } catch (NumberFormatException e) {
                // not a port: skip the line
            }
        }
        return ports;
    }

    static List<String> startProxy(String script, long latencyMs, long jitterMs) {
        return List.of(
                "sh",
                "-c",
                "exec \"$0\" \"$@\" </dev/null >/dev/null 2>&1 &",
                "python3",
                "-c",
                script,
                PROXY_MARKER,
                Integer.toString(PROXY_PORT),
                Long.toString(latencyMs),
                Long.toString(jitterMs));
    }

    static List<String> stopProxy() {
        return List.of("pkill", "-KILL", "-f", PROXY_MARKER);
    }

    /** New connections to the target's ports go to the proxy; locally made ones (the proxy's own) skip PREROUTING. */
    static List<List<String>> addRedirect(List<Integer> ports) {
        List<List<String>> argv = new ArrayList<>();
        argv.add(List.of("iptables", "-w", "5", "-t", "nat", "-N", LATENCY_CHAIN));
        for (int port : ports) {
            argv.add(List.of(
                    "iptables",
                    "-w",
                    "5",
                    "-t",
                    "nat",
                    "-A",
                    LATENCY_CHAIN,
                    "-p",
                    "tcp",
                    "--dport",
                    Integer.toString(port),
                    "-j",
                    "REDIRECT",
                    "--to-ports",
                    Integer.toString(PROXY_PORT)));
        }
        argv.add(List.of("iptables", "-w", "5", "-t", "nat", "-I", "PREROUTING", "1", "-j", LATENCY_CHAIN));
        return argv;
    }

    static List<List<String>> removeRedirect() {
        return List.of(
                List.of("iptables", "-w", "5", "-t", "nat", "-D", "PREROUTING", "-j", LATENCY_CHAIN),
                List.of("iptables", "-w", "5", "-t", "nat", "-F", LATENCY_CHAIN),
                List.of("iptables", "-w", "5", "-t", "nat", "-X", LATENCY_CHAIN));
    }

    /** Token bucket on the device's egress; the burst holds 100 ms of traffic, at least two frames. */
    static List<String> addBandwidth(String device, long kbit) {
        long burstBytes = Math.max(3200, kbit * 1000 / 8 / 10);
        return List.of(
                "tc",
                "qdisc",
                "add",
                "dev",
                device,
                "root",
                "tbf",
                "rate",
                kbit + "kbit",
                "burst",
                Long.toString(burstBytes),
                "latency",
                "400ms");
    }

    static List<String> removeBandwidth(String device) {
        return List.of("tc", "qdisc", "del", "dev", device, "root");
    }

    /** stress-ng's arguments (the stress image's entrypoint is stress-ng) for the configured stress. */
    static List<String> stressArguments(ChaosSettings settings, Duration safetyTimeout) {
        List<String> argv = new ArrayList<>();
        if (settings.cpuPercent() > 0) {
            // Chaos Mesh's slice: short on/off periods, so the load is steady at the cgroup's scale.
            argv.addAll(List.of(
                    "--cpu",
                    Long.toString(settings.cpuWorkers()),
                    "--cpu-load",
                    Long.toString(settings.cpuPercent()),
                    "--cpu-load-slice",
                    "10"));
        }
        if (settings.memoryMb() > 0) {
            argv.addAll(List.of(
                    "--vm",
                    "1",
                    "--vm-bytes",
                    settings.memoryMb() + "M",
                    "--vm-keep",
                    // Touch the pages once, then hold them idle: the memory fault must not add CPU load.
                    "--vm-hang",
                    "0"));
        }
        if (settings.diskWorkers() > 0) {
            // O_DIRECT: every write reaches the device (the page cache would absorb a buffered writer, and
            // cgroup v1 charges buffered writeback to the root cgroup, not the target's). The files go in
            // the working directory, in the stressor's own writable layer (a scratch image has no /tmp),
            // and so go with its container.
            argv.addAll(List.of(
                    "--hdd",
                    Long.toString(settings.diskWorkers()),
                    "--hdd-bytes",
                    settings.diskFileMb() + "M",
                    "--hdd-opts",
                    "direct"));
        }
        argv.addAll(List.of("--timeout", Math.max(1, safetyTimeout.toSeconds()) + "s"));
        return argv;
    }
}
