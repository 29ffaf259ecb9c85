// Per-check latency of the engine's HTTP and TCP health probes against a busybox httpd container.
// Run by bench/health-check-latency.sh; not a test: these machines are shared and noisy.
import dev.cleanroom.engine.spi.HealthProbes;
import java.time.Duration;
import java.util.*;
public class HealthCheckLatency { public static void main(String[] a) throws Exception {
  String url = "http://127.0.0.1:" + a[0] + "/";
  for (String kind : List.of("http", "tcp")) {
    List<Long> us = new ArrayList<>();
    for (int i = 0; i < 220; i++) {
      long t = System.nanoTime();
      var s = kind.equals("http") ? HealthProbes.http(url, Duration.ofSeconds(2)) : HealthProbes.tcp("127.0.0.1", Integer.parseInt(a[0]), Duration.ofSeconds(2));
      long d = (System.nanoTime() - t) / 1000;
      if (!s.isHealthy()) throw new IllegalStateException(s.detail());
      if (i >= 20) us.add(d); // the first 20 warm up the JIT and the connection code
    }
    Collections.sort(us);
    System.out.printf("%s check: median %.2f ms, p90 %.2f ms, max %.2f ms over %d checks%n", kind, us.get(us.size()/2)/1000.0, us.get(us.size()*9/10)/1000.0, us.get(us.size()-1)/1000.0, us.size());
  }
}}
