// How long finding and registering the service types takes (issue 9: "plugin registration under
// 1 ms"): the first ServiceLoader discovery in a fresh JVM (it loads the seven built-in plugin
// classes and their schemas), then discovery and registration again once the classes are loaded,
// as every later goal of the same build (start, run, stop) sees them. Run by
// bench/plugin-registration.sh; not a test: these machines are shared and noisy.
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ServicePlugin;
import java.util.*;
public class PluginRegistration { public static void main(String[] a) throws Exception {
  ClassLoader loader = PluginRegistration.class.getClassLoader();
  long t0 = System.nanoTime();
  ServiceFactory first = ServiceFactory.discover(loader);
  long cold = System.nanoTime() - t0;
  List<ServicePlugin> plugins = new ArrayList<>(first.plugins().values());
  List<Long> discover = new ArrayList<>();
  List<Long> register = new ArrayList<>();
  for (int i = 0; i < 1020; i++) {
    long t = System.nanoTime();
    ServiceFactory.discover(loader);
    long d = System.nanoTime() - t;
    t = System.nanoTime();
    ServiceFactory factory = new ServiceFactory();
    for (ServicePlugin p : plugins) factory.register(p);
    long r = System.nanoTime() - t;
    if (i >= 20) { discover.add(d); register.add(r); } // the first 20 warm up the JIT
  }
  Collections.sort(discover);
  Collections.sort(register);
  System.out.printf("service types: %d (%s)%n", plugins.size(), String.join(", ", first.types()));
  System.out.printf("first discovery in a fresh JVM (loads the plugin classes): %.2f ms%n", cold / 1e6);
  System.out.printf("discovery once loaded: median %.3f ms, p90 %.3f ms over %d%n",
      discover.get(discover.size() / 2) / 1e6, discover.get(discover.size() * 9 / 10) / 1e6, discover.size());
  System.out.printf("registering the %d plugins: median %.4f ms, p90 %.4f ms over %d%n", plugins.size(),
      register.get(register.size() / 2) / 1e6, register.get(register.size() * 9 / 10) / 1e6, register.size());
}}
