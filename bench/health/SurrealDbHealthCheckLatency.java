// Per-check latency of the surrealdb plugin's own health check (SurrealDbPlugin.healthCheck, which
// the engine repeats while the service runs) against the SurrealDB stand-in. Run by
// bench/health-check-latency.sh; not a test: these machines are shared and noisy.
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.plugins.surrealdb.SurrealDbPlugin;
import java.nio.file.*;
import java.util.*;
public class SurrealDbHealthCheckLatency { public static void main(String[] a) throws Exception {
  int port = Integer.parseInt(a[1]);
  // The service as a user writes it, through the real parser, so the check gets the config it gets in a run.
  Path toml = Files.writeString(Path.of(a[0], "db.clnrm.toml"), "[services.db]\ntype = \"surrealdb\"\n"
      + "image = \"cleanroom/surrealdb-standin:fixture\"\nauth.user = \"root\"\nauth.pass = \"bench-pass\"\n");
  ServiceConfig config = new TomlConfigParser(ServiceFactory.discover(SurrealDbHealthCheckLatency.class.getClassLoader()))
      .parse(toml).services().get("db");
  // What the plugin's start returns for this container: its url endpoint on the published port.
  ServiceHandle handle = ServiceHandle.of("db", new ContainerInfo(a[2], "db", "127.0.0.1", Map.of(8000, port)))
      .withEndpoint("url", "http://127.0.0.1:" + port);
  SurrealDbPlugin plugin = new SurrealDbPlugin();
  List<Long> us = new ArrayList<>();
  for (int i = 0; i < 220; i++) {
    long t = System.nanoTime();
    var s = plugin.healthCheck(handle, config, null); // the check uses neither the backend nor Docker
    long d = (System.nanoTime() - t) / 1000;
    if (!s.isHealthy()) throw new IllegalStateException(s.detail());
    if (i >= 20) us.add(d); // the first 20 warm up the JIT and the connection code
  }
  Collections.sort(us);
  System.out.printf("surrealdb plugin check (GET /health, stand-in): median %.2f ms, p90 %.2f ms, max %.2f ms over %d checks%n",
      us.get(us.size()/2)/1000.0, us.get(us.size()*9/10)/1000.0, us.get(us.size()-1)/1000.0, us.size());
}}
